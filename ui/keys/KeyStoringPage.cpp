#include "keys/KeyStoringPage.h"

#include "core/crypto/KeyFormats.h"
#include "keys/KeyPrompts.h"
#include "keys/KeyWizard.h"
#include "shell/FileDialogs.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace jwti {

KeyStoringPage::KeyStoringPage(QWidget* parent)
    : QWizardPage(parent)
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
    if (auto* keyWizard = qobject_cast<KeyWizard*>(wizard()); keyWizard && !keyWizard->storedRecord().id.isEmpty()) {
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

void KeyStoringPage::store()
{
    auto* keyWizard = qobject_cast<KeyWizard*>(wizard());
    if (!keyWizard || m_busy)
        return;
    m_busy = true;
    m_retry->hide();
    m_export->hide();
    m_status->setText(tr("Storing in the keychain…"));
    emit completeChanged();
    auto done = [this, keyWizard](Result<KeyRecord> result) {
        m_busy = false;
        if (result) {
            keyWizard->setStoredRecord(*result);
            onStored(true, {});
        } else {
            onStored(false, result.message());
        }
    };
    if (keyWizard->mode() == KeyWizard::Mode::Rotate) {
        keyWizard->store()->rotate(keyWizard->rotationSet(), keyWizard->generatedKey(), keyWizard->retireAfter(), this,
                                   done, keyWizard->nameOptions());
    } else {
        keyWizard->store()->add(keyWizard->generatedKey(), keyWizard->nameOptions(), this, done);
    }
}

void KeyStoringPage::retry()
{
    auto* keyWizard = qobject_cast<KeyWizard*>(wizard());
    if (!keyWizard || m_busy)
        return;
    if (m_pendingId.isEmpty()) {
        store();
        return;
    }
    m_busy = true;
    m_retry->hide();
    m_status->setText(tr("Storing in the keychain…"));
    keyWizard->store()->retry(m_pendingId, this, [this, keyWizard](Result<KeyRecord> result) {
        m_busy = false;
        if (result) {
            keyWizard->setStoredRecord(*result);
            onStored(true, {});
        } else {
            onStored(false, result.message());
        }
    });
}

void KeyStoringPage::onStored(bool ok, const QString& message)
{
    auto* keyWizard = qobject_cast<KeyWizard*>(wizard());
    if (ok) {
        m_stored = true;
        m_pendingId.clear();
        const KeyRecord& record = keyWizard->storedRecord();
        m_status->setText(keyWizard->mode() == KeyWizard::Mode::Rotate
                              ? tr("Rotated: \"%1\" (kid %2) is now the active key of set \"%3\".")
                                    .arg(record.name, record.kid, record.keySet)
                              : tr("Stored \"%1\" in the keychain (kid %2, set \"%3\").")
                                    .arg(record.name, record.kid, record.keySet));
    } else {
        const auto& pending = keyWizard->store()->pendingKeys();
        m_pendingId = pending.empty() ? QString() : pending.back().record.id;
        m_status->setText(
            tr("Not stored: %1.\nThe key is still here, in memory only: retry when the keychain is "
               "available, or export it encrypted with a passphrase.%2")
                .arg(message,
                     keyWizard->mode() == KeyWizard::Mode::Rotate ? tr(" The key set is unchanged.") : QString()));
        m_retry->show();
        m_export->show();
    }
    emit completeChanged();
    emit storingFinished(ok);
}

void KeyStoringPage::exportEncrypted()
{
    auto* keyWizard = qobject_cast<KeyWizard*>(wizard());
    if (!keyWizard)
        return;
    const auto passphrase = KeyPrompts::newPassphrase(this, tr("Passphrase for the exported key"));
    if (!passphrase)
        return;
    const QString fileName = FileDialogs::getSaveFileName(this, tr("Export the private key (encrypted PKCS#8)"),
                                                          QStringLiteral("private-key.pem"));
    if (fileName.isEmpty())
        return;
    auto pem = exportPrivatePem(keyWizard->generatedKey(), *passphrase);
    if (!pem) {
        m_status->setText(m_status->text() + QLatin1Char('\n') + pem.message());
        return;
    }
    const QString problem = saveBytesTo(fileName, *pem);
    m_status->setText(m_status->text() + QLatin1Char('\n')
                      + (problem.isEmpty() ? tr("Exported, encrypted, to %1.").arg(fileName) : problem));
}

} // namespace jwti
