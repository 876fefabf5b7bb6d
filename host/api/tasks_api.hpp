#pragma once
// Workflow tasks (triggers/tasks.hpp):
//   POST /v1/tasks                   staff create one (due_at_ms required); a worker's is announced to them
//   GET  /v1/tasks?assignee=worker/ana&state=open|completed|overdue&due_before=&limit=&before=
//                                    newest first, paged by a task's number like the other logs
//   GET  /v1/tasks/{id}              one task
//   POST /v1/tasks/{id}/completion   completes it (409 when it was completed already)
#include <api/api_context.hpp>

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <string>

namespace extcomm::host {

bool route_tasks(ApiContext& context, const std::string& method, const std::string& path,
                 Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);

} // namespace extcomm::host
