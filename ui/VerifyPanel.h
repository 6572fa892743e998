#pragma once

#include "crypto/Key.h"

#include <QWidget>
#include <vector>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QSpinBox;
class QStackedWidget;

namespace jwti {

class KeyInput;
class SecretInput;
class TokenDocument;

// Takes a key for the document's token (an HMAC secret, or a PEM, JWK or JWKS) and says in plain words whether
// it verifies, with the claims checks (exp, nbf, iat, aud, iss) beside it. It hands keys and options to the model;
// the model verifies.
class VerifyPanel : public QWidget
{
    Q_OBJECT

public:
    enum class KeyKind { Secret, PublicKey };

    explicit VerifyPanel(TokenDocument* document, QWidget* parent = nullptr);

    // Keys from elsewhere (the keychain store): tried as well, named by label ("Keychain"). An empty list hides them.
    void setExtraKeys(std::vector<Key> keys, const QString& label);

    void setKeyKind(KeyKind kind);
    KeyKind keyKind() const;
    SecretInput* secretInput() const { return m_secret; }
    KeyInput* keyInput() const { return m_keyInput; }
    void clearKeys();
    // The leeway for exp/nbf/iat the checks start with (Settings); the user may still change it here.
    void setLeeway(int seconds);

    // The verdict as shown: a first line in words ("Signature verified with key …", "Invalid signature", …).
    QString resultText() const;

private:
    void onTokenChanged();
    void applyKeys();
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
    QLabel* m_result;
    QListWidget* m_claimChecks;

    std::vector<Key> m_extraKeys;
    QString m_extraLabel;
    QString m_keyError;
    bool m_kindChosenByUser = false;
};

} // namespace jwti
