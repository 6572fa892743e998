#pragma once

#include "core/crypto/Key.h"

#include <QWidget>
#include <vector>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QStackedWidget;

namespace jwti {

class KeyInput;
class SecretInput;
class TokenDocument;

// Takes a key for the document's token (an HMAC secret, or a PEM, JWK or JWKS) and shows the document's Verdict:
// its headline first, then why it failed, the key that verified and where it came from, neutral notes, and every
// check with its state. It hands keys (each with its provenance) and expectations to the model; the model decides,
// the panel judges nothing itself.
class VerifyPanel : public QWidget
{
    Q_OBJECT

public:
    enum class KeyKind { Secret, PublicKey };

    explicit VerifyPanel(TokenDocument* document, QWidget* parent = nullptr);

    // Keys from elsewhere (the keychain store): offered as candidates, named by label ("Key store"), each with the
    // provenance its giver set (stored keys: not chosen by the user). An empty list hides them.
    void setExtraKeys(std::vector<Key> keys, const QString& label);

    void setKeyKind(KeyKind kind);
    KeyKind keyKind() const;
    // Puts the cursor in the box for the chosen kind of key, so the next paste lands there.
    void focusKeyBox();
    SecretInput* secretInput() const { return m_secret; }
    KeyInput* keyInput() const { return m_keyInput; }
    void clearKeys();
    // The leeway for exp/nbf/iat the checks start with (Settings); the user may still change it here.
    void setLeeway(int seconds);

    // The verdict as shown and read aloud: the headline first, then why it failed and the key.
    QString resultText() const;
    // The headline alone, as the result box's accessible name gives it.
    QString headline() const;
    // The lines of the checks list, as shown.
    QStringList checkLines() const;

signals:
    // What was pasted as a token is a key or certificate (the verdict's not-a-token diagnosis) and the user asked to
    // use it as the key: the window moves it out of the token box.
    void keyTextMovedFromToken();

protected:
    void changeEvent(QEvent* event) override;

private:
    void onTokenChanged();
    void applyKeys();
    // The key box for this token and kind: off (with the reason) for alg none, else the key's status or a prompt.
    void showKeyBox();
    void applyOptions();
    void showResult();

    TokenDocument* m_document;
    QLabel* m_algLabel;
    QComboBox* m_keyKind;
    QStackedWidget* m_keyPages;
    SecretInput* m_secret;
    KeyInput* m_keyInput;
    QCheckBox* m_extraKeysCheck;
    QLabel* m_keyStatus;
    QSpinBox* m_leeway;
    QLineEdit* m_expectedAud;
    QLineEdit* m_expectedIss;
    QPlainTextEdit* m_detachedPayload;
    QLabel* m_result;
    QLabel* m_notes;
    QPushButton* m_useAsKey;
    QListWidget* m_checks;

    std::vector<Key> m_extraKeys;
    QString m_extraLabel;
    QString m_keyError;
    QString m_keyStatusText; // what the key given is ("HMAC secret (256 bits)"), or why it is not usable
    bool m_kindChosenByUser = false;
};

} // namespace jwti
