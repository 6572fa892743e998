#pragma once

// The QWizard fields the key wizard's pages share (QWizard::field): each page reads what an earlier page chose by
// name, never through the wizard's members. Values are plain (bool, QString, int) or value types in a QVariant.
namespace jwti::KeyWizardFields {

inline constexpr char kRotate[] = "rotate"; // bool: rotating a set rather than generating a new key
inline constexpr char kRotationSet[] = "rotationSet"; // QString: the set being rotated
inline constexpr char kKeyRequest[] = "keyRequest"; // KeyRequest: the alg and what its key needs (KeyPolicy.h)
inline constexpr char kGeneratedKey[] = "generatedKey"; // Key: the key the generation page made
inline constexpr char kKeyName[] = "keyName"; // QString
inline constexpr char kKeySet[] = "keySet"; // QString
inline constexpr char kKid[] = "kid"; // QString; empty: the store's default (KeyPolicy defaultKid)
inline constexpr char kRetireAfterDays[] = "retireAfterDays"; // int: how long the replaced key stays verify-only
inline constexpr char kStoredRecord[] = "storedRecord"; // KeyRecord: what the storing page stored (empty id: none)

} // namespace jwti::KeyWizardFields
