#include "keys/KeyStoringPage.h"

#include "core/crypto/KeyFormats.h"
#include "core/crypto/KeyPolicy.h"
#include "keys/KeyPrompts.h"
#include "keys/KeyWizardFields.h"
#include "shell/FileDialogs.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace jwti {

KeyStoringPage::KeyStoringPage(KeyStore* store, QWidget* parent)
    : QWizardPage(parent)
    , m_store(store)
    , m_explanation(new QLabel(this))
    , m_status(new QLabel(this))
    , m_retry(new QPushButton(tr("Retry"), this))
    , m_export(new QPushButton(tr("Export encrypted…"), this))
{
    setTitle(tr("Storing the key"));
    m_explanation->setObjectName(QStringLiteral("storeExplanation"));
    m_explanation->setWordWrap(true);
    m_explanation->setText(tr("The private key goes to your system keychain (the Secret Service: GNOME Keyring or "
                              "KeePassXC), never to a file. Only its name, kid, algorithm and public half are "
                              "written to the key index."));
    m_status->setObjectName(QStringLiteral("storeStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_retry->setObjectName(QStringLiteral("retryStore"));
    m_export->setObjectName(QStringLiteral("exportPendingEncrypted"));
    registerField(QLatin1String(KeyWizardFields::kStoredRecord), this, "storedRecord", SIGNAL(storingFinished(bool)));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_retry);
    buttons->addWidget(m_export);
    buttons->addStretch();
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_explanation);
    layout->addSpacing(12);
    layout->addWidget(m_status);
    layout->addLayout(buttons);
    layout->addStretch();
    m_retry->hide();
    m_export->hide();
    connect(m_retry, &QPushButton::clicked, this, &KeyStoringPage::retry);
    connect(m_export, &QPushButton::clicked, this, &KeyStoringPage::exportEncrypted);
}

void KeyStoringPage::initializePage()
{
    // Stored already (the page shown again): say so, never store a second time.
    if (!m_record.id.isEmpty()) {
        onStored(true, {});
        return;
    }
    m_stored = false;
    m_pendingId.clear();
    store();
}

bool KeyStoringPage::isComplete() const
{
    return m_stored && !m_busy;
}

bool KeyStoringPage::rotating() const
{
    return field(QLatin1String(KeyWizardFields::kRotate)).toBool();
}

Key KeyStoringPage::generatedKey() const
{
    return field(QLatin1String(KeyWizardFields::kGeneratedKey)).value<Key>();
}

NewKeyOptions KeyStoringPage::newKeyOptions() const
{
    NewKeyOptions options;
    options.name = field(QLatin1String(KeyWizardFields::kKeyName)).toString().trimmed();
    options.keySet = field(QLatin1String(KeyWizardFields::kKeySet)).toString().trimmed();
    options.kid = field(QLatin1String(KeyWizardFields::kKid)).toString().trimmed();
    const KeyRequest request = field(QLatin1String(KeyWizardFields::kKeyRequest)).value<KeyRequest>();
    options.alg = request.alg;
    options.enc = request.enc;
    options.source = QStringLiteral("generated");
    return options;
}

QDateTime KeyStoringPage::retireAfter() const
{
    const QDateTime from = m_storedAt.isValid() ? m_storedAt : QDateTime::currentDateTimeUtc();
    return retireAfterDate(from, field(QLatin1String(KeyWizardFields::kRetireAfterDays)).toInt());
}

void KeyStoringPage::store()
{
    if (!m_store || m_busy)
        return;
    m_busy = true;
    m_retry->hide();
    m_export->hide();
    m_status->setText(tr("Storing in the keychain…"));
    emit completeChanged();
    auto done = [this](Result<KeyRecord> result) {
        m_busy = false;
        if (result) {
            m_record = *result;
            onStored(true, {});
        } else {
            onStored(false, result.message());
        }
    };
    if (rotating()) {
        m_storedAt = QDateTime::currentDateTimeUtc();
        m_store->rotate(field(QLatin1String(KeyWizardFields::kRotationSet)).toString(), generatedKey(), retireAfter(),
                        this, done, newKeyOptions());
    } else {
        m_store->add(generatedKey(), newKeyOptions(), this, done);
    }
}

void KeyStoringPage::retry()
{
    if (!m_store || m_busy)
        return;
    if (m_pendingId.isEmpty()) {
        store();
        return;
    }
    m_busy = true;
    m_retry->hide();
    m_status->setText(tr("Storing in the keychain…"));
    m_store->retry(m_pendingId, this, [this](Result<KeyRecord> result) {
        m_busy = false;
        if (result) {
            m_record = *result;
            onStored(true, {});
        } else {
            onStored(false, result.message());
        }
    });
}

void KeyStoringPage::onStored(bool ok, const QString& message)
{
    if (ok) {
        m_stored = true;
        m_pendingId.clear();
        m_status->setText(rotating() ? tr("Rotated: \"%1\" (kid %2) is now the active key of set \"%3\".")
                                           .arg(m_record.name, m_record.kid, m_record.keySet)
                                     : tr("Stored \"%1\" in the keychain (kid %2, set \"%3\").")
                                           .arg(m_record.name, m_record.kid, m_record.keySet));
    } else {
        const auto& pending = m_store->pendingKeys();
        m_pendingId = pending.empty() ? QString() : pending.back().record.id;
        m_status->setText(tr("Not stored: %1.\nThe key is still here, in memory only: retry when the keychain is "
                             "available, or export it encrypted with a passphrase.%2")
                              .arg(message, rotating() ? tr(" The key set is unchanged.") : QString()));
        m_retry->show();
        m_export->show();
    }
    emit completeChanged();
    emit storingFinished(ok);
}

void KeyStoringPage::exportEncrypted()
{
    const auto passphrase = KeyPrompts::newPassphrase(this, tr("Passphrase for the exported key"));
    if (!passphrase)
        return;
    const QString fileName = FileDialogs::getSaveFileName(this, tr("Export the private key (encrypted PKCS#8)"),
                                                          QStringLiteral("private-key.pem"));
    if (fileName.isEmpty())
        return;
    auto pem = exportPrivatePem(generatedKey(), *passphrase);
    if (!pem) {
        m_status->setText(m_status->text() + QLatin1Char('\n') + pem.message());
        return;
    }
    const QString problem = saveBytesTo(fileName, *pem);
    m_status->setText(m_status->text() + QLatin1Char('\n')
                      + (problem.isEmpty() ? tr("Exported, encrypted, to %1.").arg(fileName) : problem));
}

} // namespace jwti
