#pragma once
// Where workers, worker categories, clients (with their contact entries and consent) and sites are kept.
// Every call is one short unit of work on the store; the *(Connection&) forms join the caller's.
// Store failures throw std::runtime_error("store: ..."); bad input comes back as a FieldError.
#include <agency/people.hpp>
#include <agency/settings.hpp>
#include <store/database.hpp>

#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace extcomm::agency {

enum class Saved { created, updated };

class PeopleStore {
public:
    PeopleStore(Database& db, const Clock& clock) : db_(db), clock_(clock) {}

    // Worker categories: a name; members are the workers who name the category.
    Saved put_category(const WorkerCategory& category);
    std::optional<WorkerCategory> category(const std::string& id);
    std::vector<std::string> members(const std::string& category_id); // worker ids, in id order

    // Workers. The contact details are normalised (see normalise_worker) and the categories must exist.
    // The worker's presence is kept as it was (it changes through set_presence only).
    std::variant<Saved, FieldError> put_worker(Worker worker, const GeneralSettings& general);
    std::optional<Worker> worker(const std::string& id);
    std::optional<Worker> worker(Database::Connection& c, const std::string& id);
    std::vector<Worker> workers(Database::Connection& c, const std::vector<std::string>& ids); // those that exist, in no order
    std::vector<Worker> workers_in(Database::Connection& c, const std::string& category_id);
    bool category_exists(Database::Connection& c, const std::string& category_id);
    // Reports a worker logged in or out; returns the worker, or nothing when unknown. `since` only
    // moves when the state changes.
    std::optional<Worker> set_presence(const std::string& id, bool online);
    // A category's members, in id order (error-notice digests go to them).
    std::vector<Worker> members_of(const std::string& category_id);

    // Clients: the consent rules of apply_client_update, against what is stored.
    // `saved` runs in the transaction that stores the client, before it commits: what depends on the change
    // (action triggers on a new profile) commits with it or not at all.
    using ClientSaved = std::function<void(Database::Connection&, Saved, const Client&)>;
    std::variant<std::pair<Saved, Client>, FieldError> put_client(ClientUpdate update, const GeneralSettings& general,
                                                                  const ClientSaved& saved = {});
    std::optional<Client> client(const std::string& id);
    std::optional<Client> client(Database::Connection& c, const std::string& id);
    std::vector<Client> clients(Database::Connection& c, const std::vector<std::string>& ids); // those that exist, in no order

    std::variant<Saved, FieldError> put_site(Site site, const GeneralSettings& general);
    std::optional<Site> site(const std::string& id);

private:
    Database& db_;
    const Clock& clock_;
};

} // namespace extcomm::agency
