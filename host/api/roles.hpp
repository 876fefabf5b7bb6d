#pragma once
// Which role each route of the API needs: one table (roles.cpp), read by the router before any handler
// runs and checked against the OpenAPI document (each operation's x-extcomm-role) by a test, so the
// document tells callers what the server enforces.
//
// Invariants: reading (GET) needs viewer; what the case-management system calls (messages, service
// events, people, worker and client messages, preview) needs integration; everything else — settings,
// templates, resuming transports, and any route the table does not name — needs admin. Public routes
// (/healthz, /v1/openapi.json, webhooks with their secret, the confirm pages) are routed before a token
// is asked for and never reach the table.
#include <config/config.hpp>

#include <string>

namespace extcomm::host {

Role role_needed(const std::string& method, const std::string& path);

} // namespace extcomm::host
