#pragma once

#include "core/crypto/SecretBytes.h"

#include <QString>
#include <optional>

class QWidget;

namespace jwti {

// The key manager's questions to the user: a confirmation and a passphrase. Tests tell the next answer instead of
// facing a modal dialog (the same seam as FileDialogs).
class KeyPrompts
{
public:
    static bool confirm(QWidget* parent, const QString& title, const QString& text);
    // A new passphrase, typed twice; nullopt when the user cancelled. The fields are cleared after use.
    static std::optional<SecretBytes> newPassphrase(QWidget* parent, const QString& title);

    static void setNextConfirm(bool answer);
    static void setNextPassphrase(const QByteArray& passphrase); // empty = the user cancelled
};

// Writes bytes to a file the user chose (atomically); empty when written, else why not.
QString saveBytesTo(const QString& fileName, const QByteArray& bytes);

} // namespace jwti
