#pragma once

namespace extcomm {

// What a commit promises once it returns.
//  durable:  on disk (SQLite fsyncs the WAL, PostgreSQL flushes its WAL). For what has been acknowledged
//            to someone: an accepted message, a settings change.
//  deferred: ordered and crash-safe for the process (a kill -9 loses nothing), but an operating-system
//            crash or power loss may undo the last such commits; the next durable commit (or checkpoint)
//            makes them durable too. For bookkeeping whose loss only repeats work: a claim undone
//            puts the message back in the queue, a settlement undone sends it again with the same
//            idempotency key, both within at-least-once. It saves an fsync per claim and per settle,
//            which is what a commit costs on most disks.
enum class Durability { durable, deferred };

} // namespace extcomm
