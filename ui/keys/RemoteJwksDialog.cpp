#include "keys/RemoteJwksDialog.h"

#include "shell/WindowPlacement.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

namespace jwti {

RemoteJwksDialog::RemoteJwksDialog(KeyStore* store, QWidget* parent)
    : QDialog(parent)
    , m_store(store)
    , m_fetcher(new JwksFetcher(this))
    , m_url(new QLineEdit(this))
    , m_jwksMode(new QRadioButton(tr("JWKS URL"), this))
    , m_issuerMode(new QRadioButton(tr("OpenID issuer (reads /.well-known/openid-configuration)"), this))
    , m_set(new QLineEdit(this))
    , m_status(new QLabel(this))
    , m_fetch(new QPushButton(tr("Fetch"), this))
{
    setObjectName(QStringLiteral("remoteJwksDialog"));
    setWindowTitle(tr("Fetch remote keys"));
    m_url->setObjectName(QStringLiteral("remoteUrl"));
    m_url->setPlaceholderText(QStringLiteral("https://issuer.example/.well-known/jwks.json"));
    m_jwksMode->setObjectName(QStringLiteral("remoteModeJwks"));
    m_issuerMode->setObjectName(QStringLiteral("remoteModeIssuer"));
    m_jwksMode->setChecked(true);
    m_set->setObjectName(QStringLiteral("remoteSet"));
    m_set->setPlaceholderText(tr("the host name"));
    m_status->setObjectName(QStringLiteral("remoteStatus"));
    m_status->setWordWrap(true);
    m_fetch->setObjectName(QStringLiteral("remoteFetch"));
    auto* note = new QLabel(tr("Keys are fetched only when you ask, over https (plain http only to this computer), "
                               "and kept as public verify-only keys. A token's own jku or x5u header is never "
                               "followed: anyone can put a URL there."),
                            this);
    note->setWordWrap(true);
    auto* form = new QFormLayout;
    form->addRow(tr("URL:"), m_url);
    form->addRow(QString(), m_jwksMode);
    form->addRow(QString(), m_issuerMode);
    form->addRow(tr("Key set:"), m_set);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_fetch, QDialogButtonBox::ActionRole);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(note);
    layout->addLayout(form);
    layout->addWidget(m_status);
    layout->addStretch();
    layout->addWidget(buttons);
    WindowPlacement::fitOnScreen(this, QSize(560, 300));
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_fetch, &QPushButton::clicked, this, &RemoteJwksDialog::fetch);
}

void RemoteJwksDialog::fetch()
{
    const QUrl url = QUrl::fromUserInput(m_url->text().trimmed());
    if (auto allowed = JwksFetcher::checkUrl(url); !allowed) {
        m_status->setText(allowed.message());
        return;
    }
    m_fetch->setEnabled(false);
    m_status->setText(tr("Fetching %1…").arg(url.toDisplayString()));
    const auto mode = m_issuerMode->isChecked() ? JwksFetcher::Mode::Issuer : JwksFetcher::Mode::JwksUrl;
    m_fetcher->fetch(url, mode, [this, url](Result<FetchedJwks> result) {
        m_fetch->setEnabled(true);
        if (!result) {
            m_status->setText(tr("Not fetched: %1").arg(result.message()));
            return;
        }
        RemoteKeySet remote{url.toString(), result->jwksUrl.toString(), m_set->text().trimmed(), result->fetched,
                            result->keys};
        auto added = m_store->addRemote(remote);
        if (!added) {
            m_status->setText(tr("Fetched, but not kept: %1").arg(added.message()));
            return;
        }
        m_status->setText(tr("Kept %n public key(s) from %1 as verify-only.", nullptr, int(added->size()))
                              .arg(result->jwksUrl.toDisplayString()));
        emit fetched(int(added->size()));
    });
}

} // namespace jwti
