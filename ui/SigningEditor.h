#pragma once

#include "crypto/Key.h"
#include "jose/Result.h"

#include <QFutureWatcher>
#include <QTimer>
#include <QWidget>
#include <atomic>
#include <memory>
#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QStackedWidget;

namespace jwti {

class KeyInput;
class SecretInput;

// Writes a new token: header and payload edited as JSON (validated live by the model's parser, errors marked at
// their place), an alg and a key picked, the token signed on every valid change. Quick actions set iat, exp and kid.
// Copy buttons copy the token and its parts, never the secret or the private key.
class SigningEditor : public QWidget
{
    Q_OBJECT

public:
    explicit SigningEditor(QWidget* parent = nullptr);
    ~SigningEditor() override;

    void setAlg(const QString& alg);
    QString alg() const;
    void setHeaderText(const QString& json);
    void setPayloadText(const QString& json);
    QString headerText() const;
    QString payloadText() const;
    SecretInput* secretInput() const { return m_secret; }
    KeyInput* keyInput() const { return m_keyInput; }

    // Signs now (the edits are otherwise signed after a short pause). Returns the token, empty on error.
    QString signNow();
    QString signedToken() const;
    QString statusText() const;

    // Sets a member of the header or payload object by editing the JSON text at the member's place (the spans
    // come from parseJson), or appends it. valueJson is a JSON value ("1700000000", "\"abc\"").
    bool setMember(bool header, const QString& name, const QByteArray& valueJson);

    // The public half of the signing key as SPKI PEM (asymmetric keys only), for the verify panel.
    QString publicKeyPem() const;
    // True when the key used is an HMAC secret; then verifying needs the same secret.
    bool usesSecret() const;

    // Generates a key for the chosen alg off the UI thread (RSA can take a second).
    void generateKey();
    bool isGenerating() const;

    // The clock for iat/exp quick actions; tests pin it.
    void setNowOverride(std::optional<qint64> now) { m_nowOverride = now; }

signals:
    // "Inspect" was asked for the signed token.
    void inspectRequested(const QString& token);
    void generationFinished();

private:
    QPlainTextEdit* makeJsonEdit(const QString& name, const QString& accessibleName);
    bool validate(QPlainTextEdit* edit, QLabel* status);
    void onAlgChanged();
    void scheduleSign();
    void copyPart(int segment);
    std::optional<Key> signingKey(QString& error) const;
    qint64 now() const;

    QPlainTextEdit* m_headerEdit;
    QLabel* m_headerStatus;
    QPlainTextEdit* m_payloadEdit;
    QLabel* m_payloadStatus;
    QComboBox* m_alg;
    QStackedWidget* m_keyPages;
    SecretInput* m_secret;
    KeyInput* m_keyInput;
    QPushButton* m_generate;
    QLabel* m_keyStatus;
    QLineEdit* m_kid;
    QPlainTextEdit* m_output;
    QLabel* m_status;
    QTimer m_signTimer;
    std::optional<Key> m_generatedKey; // in memory only; never exported to the clipboard or settings
    QFutureWatcher<std::shared_ptr<Result<Key>>> m_generation;
    std::shared_ptr<std::atomic_bool> m_cancelGeneration;
    std::optional<qint64> m_nowOverride;
    bool m_lastUsedSecret = false;
    QString m_lastPublicPem;
};

} // namespace jwti
