#pragma once

#include "core/crypto/Key.h"
#include "core/jose/Result.h"
#include "shell/BackgroundTask.h"

#include <QTimer>
#include <QWidget>
#include <memory>
#include <vector>

class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace jwti {

// A key pasted or opened: PEM, JWK or JWKS text, or a DER file. The window reads nothing itself: importKeys
// decides what the bytes are. An encrypted private key asks for its passphrase, which is cleared after use.
// Every key it gives was chosen by the user, and says so in its provenance: File while the field holds a file
// exactly as opened, Typed once it was pasted or edited here. The keys are read once per change, not on every ask;
// input that may be slow to read (a passphrase to derive a key from, a big JWKS) is read off the UI thread, after
// a pause in typing, and changed() comes when it is done.
class KeyInput : public QWidget
{
    Q_OBJECT

public:
    // prefix names the children for tests: prefix + "Edit", "Open", "Passphrase".
    KeyInput(const QString& prefix, const QString& accessibleName, QWidget* parent = nullptr);

    bool isEmpty() const;
    // The keys as last read (empty when the field is).
    Result<std::vector<Key>> keys() const { return m_keys; }
    // True while slow input is being read; keys() still holds what was read before.
    bool isReading() const { return m_readDelay.isActive() || m_reading.isRunning(); }
    void setKeyText(const QString& text);
    void clear();
    // Opens a key file (through FileDialogs, so tests can answer).
    void openFile();

signals:
    // The keys were read anew (keys() has them).
    void changed();

private:
    void readKeys();
    void startReading();
    void finishReading(Result<std::vector<Key>> keys);
    QByteArray inputBytes() const;
    SecretBytes passphraseBytes() const;

    QPlainTextEdit* m_edit;
    QPushButton* m_open;
    QLineEdit* m_passphrase;
    QByteArray m_fileBytes; // a binary (DER) key read from a file; the text field then names the file
    QString m_fileLabel;
    QString m_filePath; // the file the field holds, until it is edited
    QString m_fileText; // a text key as read from m_filePath, to tell an edit from the file
    Result<std::vector<Key>> m_keys = std::vector<Key>();
    QTimer m_readDelay; // slow input is read once typing pauses
    BackgroundTask<std::shared_ptr<Result<std::vector<Key>>>> m_reading{this};
};

} // namespace jwti
