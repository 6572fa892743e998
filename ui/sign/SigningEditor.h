#pragma once

#include "core/crypto/Key.h"
#include "core/jose/Result.h"
#include "core/model/SigningDocument.h"

#include <QTimer>
#include <QWidget>
#include <memory>
#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QStackedWidget;

namespace jwti {

template <typename Result>
class BackgroundTask;
class KeyInput;
class KeyStore;
class SecretInput;

// Writes a new token: header and payload edited as JSON (validated live by the model's parser, errors marked at
// their place), an alg and a key picked, the token signed on every valid change. What is signed, and how, is the
// model's SigningDocument (the same the command line's sign uses); the editor shows it and gathers the key. Quick
// actions set iat, exp and kid. Copy buttons copy the token and its parts, never the secret or the private key.
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

    // The modulus for generated RSA keys (Settings); EC and EdDSA sizes follow the alg, HMAC secrets its hash.
    void setDefaultRsaBits(int bits) { m_rsaBits = bits; }

    // Generates a key for the chosen alg off the UI thread (RSA can take a second).
    void generateKey();
    bool isGenerating() const;

    // Offers the key store's key sets: signing with a set's active key loads its private key (or secret) from the
    // keychain, keeps it in memory only while it is chosen, and puts the key's kid in the header.
    void setKeyStore(KeyStore* store);
    // Chooses the set whose active key signs (empty: the key typed, pasted or generated here). False when the set has
    // no active private key for the chosen alg.
    bool useStoredKeySet(const QString& keySet);
    QString storedKeySet() const;
    bool isLoadingStoredKey() const { return m_storedLoading; }
    // True when the last token was signed with a stored key (the verify panel gets stored keys by kid on its own).
    bool usesStoredKey() const { return m_lastUsedStored; }

    // The clock for iat/exp quick actions; tests pin it.
    void setNowOverride(std::optional<qint64> now) { m_nowOverride = now; }

signals:
    // "Inspect" was asked for the signed token.
    void inspectRequested(const QString& token);
    void generationFinished();
    // A stored key finished loading from the keychain (ok or not; statusText() says which).
    void storedKeyLoaded(bool ok);

protected:
    void showEvent(QShowEvent* event) override;

private:
    void preferAStoredKey();
    QPlainTextEdit* makeJsonEdit(const QString& name, const QString& accessibleName);
    bool validate(SigningDocument::Part part);
    void onKeyGenerated(const Result<Key>& result);
    void onAlgChanged();
    void scheduleSign();
    void copyPart(int segment);
    std::optional<Key> signingKey(QString& error) const;
    qint64 now() const;
    void refillKeySources();
    void onKeySourceChanged();

    QPlainTextEdit* m_headerEdit;
    QLabel* m_headerStatus;
    QPlainTextEdit* m_payloadEdit;
    QLabel* m_payloadStatus;
    QComboBox* m_alg;
    QStackedWidget* m_keyPages;
    SecretInput* m_secret;
    KeyInput* m_keyInput;
    QComboBox* m_keySource;
    QLabel* m_storedKeyInfo;
    QPushButton* m_generate;
    QLabel* m_keyStatus;
    QLineEdit* m_kid;
    QPlainTextEdit* m_output;
    QLabel* m_status;
    QTimer m_signTimer;
    std::optional<Key> m_generatedKey; // in memory only; never exported to the clipboard or settings
    SigningDocument m_document;
    std::unique_ptr<BackgroundTask<std::shared_ptr<Result<Key>>>> m_generation;
    std::optional<qint64> m_nowOverride;
    bool m_lastUsedSecret = false;
    bool m_lastUsedStored = false;
    int m_rsaBits = 2048;
    KeyStore* m_keyStore = nullptr;
    std::optional<Key> m_storedKey; // the chosen set's active private key, loaded from the keychain
    QString m_storedRecordId; // the record m_storedKey (or its loading) is for
    QString m_storedKeyError;
    bool m_storedLoading = false;
    // Until the user picks an algorithm or a key source, the editor offers the active stored key (and its family).
    bool m_algChosen = false;
    bool m_sourceChosen = false;
    // A stored key offered before the editor was ever shown is read from the keychain only once it is.
    bool m_loadWhenShown = false;
    quint64 m_storedRequest = 0; // answers to older load requests are dropped
    QString m_lastPublicPem;
};

} // namespace jwti
