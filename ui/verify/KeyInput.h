#pragma once

#include "core/crypto/Key.h"
#include "core/jose/Result.h"

#include <QWidget>
#include <vector>

class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace jwti {

// A key pasted or opened: PEM, JWK or JWKS text, or a DER file. The window reads nothing itself: importKeys
// decides what the bytes are. An encrypted private key asks for its passphrase, which is cleared after use.
// Every key it gives was chosen by the user, and says so in its provenance: File while the field holds a file
// exactly as opened, Typed once it was pasted or edited here.
class KeyInput : public QWidget
{
    Q_OBJECT

public:
    // prefix names the children for tests: prefix + "Edit", "Open", "Passphrase".
    KeyInput(const QString& prefix, const QString& accessibleName, QWidget* parent = nullptr);

    bool isEmpty() const;
    Result<std::vector<Key>> keys() const;
    void setKeyText(const QString& text);
    void clear();
    // Opens a key file (through FileDialogs, so tests can answer).
    void openFile();

signals:
    void changed();

private:
    QPlainTextEdit* m_edit;
    QPushButton* m_open;
    QLineEdit* m_passphrase;
    QByteArray m_fileBytes; // a binary (DER) key read from a file; the text field then names the file
    QString m_fileLabel;
    QString m_filePath; // the file the field holds, until it is edited
    QString m_fileText; // a text key as read from m_filePath, to tell an edit from the file
};

} // namespace jwti
