#pragma once

#include "keystore/JwksFetcher.h"
#include "keystore/KeyStore.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;

namespace jwti {

// Fetches a JWKS from a URL or an OpenID issuer, on request only, and keeps its keys as public verify-only keys.
class RemoteJwksDialog : public QDialog
{
    Q_OBJECT

public:
    explicit RemoteJwksDialog(KeyStore* store, QWidget* parent = nullptr);

    JwksFetcher* fetcher() const { return m_fetcher; }

signals:
    void fetched(int count);

private:
    void fetch();

    KeyStore* m_store;
    JwksFetcher* m_fetcher;
    QLineEdit* m_url;
    QRadioButton* m_jwksMode;
    QRadioButton* m_issuerMode;
    QLineEdit* m_set;
    QLabel* m_status;
    QPushButton* m_fetch;
};

} // namespace jwti
