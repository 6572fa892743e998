#pragma once

#include "core/jose/Result.h"
#include "keystore/KeyRecord.h"

#include <QJsonObject>
#include <functional>
#include <vector>

namespace jwti {

// The index file as read: the records, and the root's members this program does not know (kept on rewrite).
struct KeyIndexDocument
{
    std::vector<KeyRecord> records;
    QJsonObject unknownMembers;
};

// The non-secret index of the key store: one JSON file, {"schema": 1, "keys": [...]}. Every change is a transaction
// (transact): an inter-process lock beside the file, a fresh read, strict validation, the change, validation again,
// and an atomic replace with QSaveFile, so parallel writers (processes or the window beside the command line) never
// lose each other's changes and a crash mid-write leaves the previous index whole.
class KeyIndex
{
public:
    static constexpr int SchemaVersion = 1;

    // <GenericDataLocation>/jwt-inspector/keys.json (~/.local/share/jwt-inspector/keys.json), for window and CLI alike
    static QString defaultPath();
    static QString lockPath(const QString& path) { return path + QStringLiteral(".lock"); }

    // A missing file is an empty store. A damaged file (not JSON, a member of the wrong type, a duplicated id, two
    // active keys in a set, an unknown status) is refused with a message naming the member; so is a file from a
    // newer schema. Nothing here ever writes over a file it could not read.
    static Result<KeyIndexDocument> readDocument(const QString& path);
    static Result<std::vector<KeyRecord>> read(const QString& path);

    // The rules across records: unique ids, at most one active key a set.
    static Result<void> validate(const std::vector<KeyRecord>& records);

    using Change = std::function<Result<void>(KeyIndexDocument&)>;
    // Locks, re-reads, applies change, validates and writes atomically; the document as written. When change (or
    // anything else) fails, the file is left exactly as it was.
    static Result<KeyIndexDocument> transact(const QString& path, const Change& change);
    // Whether a transaction could run now (the folder and lock can be made, the index reads): checked before a
    // secret goes to the keychain, so the common failures cost no keychain write and no rollback.
    static Result<void> checkWritable(const QString& path);

    // Repairs a damaged index, for `keys check --repair-index` only: first copies the file to a backup beside it (named
    // in the answer), then keeps every entry that validates (coercing "true"/"false" strings, keeping the first of a
    // duplicated id and of two active keys in a set, which becomes verify-only). The answer lists what was done.
    struct RepairReport
    {
        QString backupPath;
        QStringList actions;
        int kept = 0;
    };
    static Result<RepairReport> repair(const QString& path);

private:
    static Result<void> write(const QString& path, const KeyIndexDocument& document);
};

} // namespace jwti
