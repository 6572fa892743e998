#pragma once

#include "core/crypto/Key.h"
#include "core/model/DecryptionVerdict.h"
#include "shell/BackgroundTask.h"

#include <QWidget>
#include <vector>

class QComboBox;
class QLabel;
class QListWidget;
class QPushButton;
class QStackedWidget;

namespace jwti {

class JsonView;
class KeyInput;
class SecretInput;
class TokenDocument;

// Takes a key for the document's JWE (a private key, an AES or dir secret, or a PBES2 password) and shows the
// DecryptionVerdict: its headline first, every check with its state, which key opened it and where it came from,
// then the plaintext (JSON in its own key order, text, or hex). A plaintext that is itself a token can be opened as
// the window's token (innerTokenRequested); its own verdict, with the verify panel's keys, is shown here too. The
// decrypting runs off the UI thread (PBES2 may take a second); the panel judges nothing itself.
class DecryptPanel : public QWidget
{
    Q_OBJECT

public:
    enum class KeyKind { PrivateKey, Secret, Password };

    explicit DecryptPanel(TokenDocument* document, QWidget* parent = nullptr);
    ~DecryptPanel() override;

    void setKeyKind(KeyKind kind);
    KeyKind keyKind() const;
    KeyInput* keyInput() const { return m_keyInput; }
    SecretInput* secretInput() const { return m_secret; }
    SecretInput* passwordInput() const { return m_password; }
    JsonView* plaintextView() const { return m_plaintext; }
    void focusKeyBox();
    void clearKeys();

    // Keys from elsewhere (the key store), offered as candidates with their own provenance.
    void setExtraKeys(std::vector<Key> keys);

    // The keys the panel decrypts with now (the one typed or opened, then the extra ones).
    const std::vector<Key>& keys() const { return m_keys; }
    const DecryptionVerdict& verdict() const { return m_verdict; }
    bool isBusy() const { return m_decryption.isRunning(); }
    QString headline() const;
    QStringList checkLines() const;

signals:
    // A new verdict is shown (the walk-through follows it).
    void verdictChanged();
    // The user asked to open the decrypted token as the window's token.
    void innerTokenRequested(const QString& token);

protected:
    void changeEvent(QEvent* event) override;

private:
    void onTokenChanged();
    void applyKeys();
    void recompute();
    void showVerdict();

    TokenDocument* m_document;
    QLabel* m_intro;
    QComboBox* m_keyKind;
    QStackedWidget* m_keyPages;
    KeyInput* m_keyInput;
    SecretInput* m_secret;
    SecretInput* m_password;
    QLabel* m_keyStatus;
    QLabel* m_result;
    QLabel* m_notes;
    QListWidget* m_checks;
    QLabel* m_plaintextLabel;
    JsonView* m_plaintext;
    QLabel* m_inner;
    QPushButton* m_openInner;

    std::vector<Key> m_keys;
    std::vector<Key> m_extraKeys;
    QString m_keyError;
    bool m_kindChosenByUser = false;
    DecryptionVerdict m_verdict;
    BackgroundTask<DecryptionVerdict> m_decryption{this};
    bool m_pending = false; // another decrypt is due once the running one ends
};

} // namespace jwti
