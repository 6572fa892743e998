#pragma once

#include "core/crypto/Key.h"
#include "core/crypto/KeyFormats.h"
#include "core/jose/Result.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLineEdit;
class QToolButton;

namespace jwti {

// An HMAC secret typed as text, hex or base64: masked by default, shown on request. The secret goes to the
// clipboard only through its Copy button, which the user must press, and is cleared from there after the configured
// time (SecretClipboard); never to settings. clear() empties the field.
class SecretInput : public QWidget
{
    Q_OBJECT

public:
    // prefix names the children for tests: prefix + "Edit", "Encoding", "Show", "Copy".
    SecretInput(const QString& prefix, const QString& accessibleName, QWidget* parent = nullptr);

    bool isEmpty() const;
    // The secret as a key (importSecret of the field's bytes); the intermediate bytes are wiped.
    Result<Key> key() const;
    void setSecret(const QString& text, SecretEncoding encoding);
    SecretEncoding encoding() const;
    void clear();
    // Puts this secret into another field of the window (no clipboard, no QString handed out).
    void copyTo(SecretInput& other) const;

signals:
    void changed();

private:
    QLineEdit* m_edit;
    QComboBox* m_encoding;
    QCheckBox* m_show;
    QToolButton* m_copy;
};

} // namespace jwti
