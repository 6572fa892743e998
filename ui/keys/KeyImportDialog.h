#pragma once

#include "core/crypto/Key.h"
#include "keystore/KeyStore.h"

#include <QDialog>
#include <vector>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QStackedWidget;

namespace jwti {

class SecretInput;

// Imports keys into the store: a PEM, DER, certificate, JWK or JWKS (pasted or from a file), or an HMAC secret.
// A preview lists exactly what will be imported before anything is stored.
class KeyImportDialog : public QDialog
{
    Q_OBJECT

public:
    explicit KeyImportDialog(KeyStore* store, QWidget* parent = nullptr);

    // The keys the preview shows (what Import would store).
    const std::vector<Key>& previewKeys() const { return m_keys; }

signals:
    void imported(int count);

private:
    void openFile();
    void updatePreview();
    void importNext();

    KeyStore* m_store;
    QComboBox* m_kind;
    QStackedWidget* m_inputs;
    QPlainTextEdit* m_text;
    SecretInput* m_secret;
    QLineEdit* m_passphrase;
    QLineEdit* m_name;
    QLineEdit* m_set;
    QListWidget* m_preview;
    QLabel* m_status;
    QPushButton* m_import;
    QByteArray m_fileBytes; // a binary (DER) file; the text field then only names it
    std::vector<Key> m_keys;
    std::size_t m_next = 0;
};

} // namespace jwti
