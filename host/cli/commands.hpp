#pragma once
// The subcommands of `extcomm`. Each returns the process exit code:
// 0 success, 1 the operation failed (a message not accepted, a config with problems), 2 unusable input.
#include <string>

namespace extcomm::host {

int list_plugins(const std::string& folder);
int check_config(const std::string& config_file);
int send_one(const std::string& config_file, const std::string& transport, const std::string& to,
             const std::string& subject, const std::string& body);
int serve(const std::string& config_file);

} // namespace extcomm::host
