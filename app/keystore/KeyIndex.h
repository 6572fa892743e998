#pragma once

#include "KeyRecord.h"
#include "jose/Result.h"

#include <vector>

namespace jwti {

// The non-secret index of the key store: one JSON file, {"schema": 1, "keys": [...]}, replaced atomically with
// QSaveFile so a crash mid-write leaves the previous index whole.
class KeyIndex
{
public:
    static constexpr int SchemaVersion = 1;

    // <GenericDataLocation>/jwt-inspector/keys.json (~/.local/share/jwt-inspector/keys.json), for window and CLI alike
    static QString defaultPath();

    // A missing file is an empty store. A file from a newer schema is refused (Io), so it is never overwritten by
    // an older program that would drop what it does not understand.
    static Result<std::vector<KeyRecord>> read(const QString& path);
    // Creates the folder (owner only) if needed; the file is readable by its owner only.
    static Result<void> write(const QString& path, const std::vector<KeyRecord>& records);
};

} // namespace jwti
