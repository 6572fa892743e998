#include "keys/KeyImportDialog.h"

#include "core/crypto/KeyFormats.h"
#include "core/crypto/KeyPolicy.h"
#include "core/jose/Jwk.h"
#include "shell/FileDialogs.h"
#include "shell/WindowPlacement.h"
#include "verify/SecretInput.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace jwti {

KeyImportDialog::KeyImportDialog(KeyStore* store, QWidget* parent)
    : QDialog(parent)
    , m_store(store)
    , m_kind(new QComboBox(this))
    , m_inputs(new QStackedWidget(this))
    , m_text(new QPlainTextEdit(this))
    , m_secret(new SecretInput(QStringLiteral("importSecret"), tr("HMAC secret"), this))
    , m_passphrase(new QLineEdit(this))
    , m_name(new QLineEdit(this))
    , m_set(new QLineEdit(this))
    , m_preview(new QListWidget(this))
    , m_status(new QLabel(this))
    , m_import(new QPushButton(tr("Import"), this))
{
    setObjectName(QStringLiteral("keyImportDialog"));
    setWindowTitle(tr("Import keys"));
    m_kind->setObjectName(QStringLiteral("importKind"));
    m_kind->addItem(tr("Key (PEM, DER, certificate, JWK or JWKS)"));
    m_kind->addItem(tr("HMAC secret"));
    m_text->setObjectName(QStringLiteral("importText"));
    m_text->setPlaceholderText(tr("Paste a PEM block, a JWK or a JWKS, or open a file."));
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    auto* keyPage = new QWidget(m_inputs);
    auto* keyLayout = new QVBoxLayout(keyPage);
    keyLayout->setContentsMargins(0, 0, 0, 0);
    keyLayout->addWidget(m_text);
    auto* open = new QPushButton(tr("Open file…"), keyPage);
    open->setObjectName(QStringLiteral("importOpenFile"));
    keyLayout->addWidget(open, 0, Qt::AlignLeft);
    m_inputs->addWidget(keyPage);
    m_inputs->addWidget(m_secret);
    m_passphrase->setObjectName(QStringLiteral("importPassphrase"));
    m_passphrase->setEchoMode(QLineEdit::Password);
    m_passphrase->setPlaceholderText(tr("only for an encrypted private key"));
    m_name->setObjectName(QStringLiteral("importName"));
    m_name->setPlaceholderText(tr("from the key"));
    m_set->setObjectName(QStringLiteral("importSet"));
    m_set->setText(QStringLiteral("default"));
    m_preview->setObjectName(QStringLiteral("importPreview"));
    m_status->setObjectName(QStringLiteral("importStatus"));
    m_status->setWordWrap(true);
    m_import->setObjectName(QStringLiteral("importButton"));
    m_import->setEnabled(false);

    auto* form = new QFormLayout;
    form->addRow(tr("What:"), m_kind);
    form->addRow(m_inputs);
    form->addRow(tr("Passphrase:"), m_passphrase);
    form->addRow(tr("Name:"), m_name);
    form->addRow(tr("Key set:"), m_set);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_import, QDialogButtonBox::AcceptRole);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(new QLabel(tr("Will be imported:"), this));
    layout->addWidget(m_preview);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
    WindowPlacement::fitOnScreen(this, QSize(620, 560));

    connect(m_kind, &QComboBox::currentIndexChanged, this, [this](int index) {
        m_inputs->setCurrentIndex(index);
        updatePreview();
    });
    connect(open, &QPushButton::clicked, this, &KeyImportDialog::openFile);
    connect(m_text, &QPlainTextEdit::textChanged, this, [this] {
        if (!m_text->property("showsFile").toBool())
            m_fileBytes.clear();
        updatePreview();
    });
    connect(m_secret, &SecretInput::changed, this, &KeyImportDialog::updatePreview);
    connect(m_passphrase, &QLineEdit::textChanged, this, &KeyImportDialog::updatePreview);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    disconnect(m_import, nullptr, nullptr, nullptr);
    connect(m_import, &QPushButton::clicked, this, [this] {
        m_next = 0;
        m_import->setEnabled(false);
        importNext();
    });
}

void KeyImportDialog::openFile()
{
    const QString fileName = FileDialogs::getOpenFileName(this, tr("Import a key file"));
    if (fileName.isEmpty())
        return;
    QByteArray contents;
    QString error;
    if (!FileDialogs::readFile(fileName, 1024 * 1024, contents, error)) {
        m_status->setText(error);
        return;
    }
    // Binary DER cannot be shown as text; the field names the file instead and the bytes are kept aside.
    const bool binary = contents.contains('\0') || !QString::fromUtf8(contents).toUtf8().startsWith(contents.left(64));
    m_fileBytes = contents;
    m_text->setProperty("showsFile", true);
    m_text->setPlainText(binary
                             ? tr("(binary file %1, %2 bytes)").arg(QFileInfo(fileName).fileName()).arg(contents.size())
                             : QString::fromUtf8(contents));
    m_text->setProperty("showsFile", false);
    wipeBytes(contents);
    updatePreview();
}

void KeyImportDialog::updatePreview()
{
    m_preview->clear();
    m_keys.clear();
    m_status->clear();
    if (m_kind->currentIndex() == 1) {
        if (!m_secret->isEmpty()) {
            auto key = m_secret->key();
            if (key)
                m_keys.push_back(*key);
            else
                m_status->setText(key.message());
        }
    } else {
        QByteArray input = m_fileBytes.isEmpty() ? m_text->toPlainText().toUtf8() : m_fileBytes;
        QByteArray passphraseBytes = m_passphrase->text().toUtf8();
        const SecretBytes passphrase(passphraseBytes);
        wipeBytes(passphraseBytes);
        if (!input.trimmed().isEmpty()) {
            auto keys = importKeys(input, passphrase);
            if (keys)
                m_keys = std::move(keys).value();
            else
                m_status->setText(keys.message());
        }
        wipeBytes(input);
    }
    for (const Key& key : m_keys) {
        QString line = key.description();
        // What the store will do with it (KeyPolicy): the use its JWK allows, or refuse it when its JWK contradicts
        // itself; the alg it names, else the default of its use.
        const auto use = keyUseFromMetadata(key.metadata);
        if (!use) {
            m_preview->addItem(tr("%1\nnot importable: %2").arg(line, use.message()));
            continue;
        }
        const KeyUse keyUse = use->value_or(KeyUse::Signing);
        line += keyUse == KeyUse::Signing ? tr(", for signing") : tr(", for encryption");
        line += tr(", alg %1").arg(key.metadata.alg.isEmpty() ? defaultAlgForKey(key, keyUse) : key.metadata.alg);
        if (!key.metadata.kid.isEmpty())
            line += tr(", kid %1").arg(key.metadata.kid);
        if (key.type() != KeyType::Oct)
            line += tr("\nthumbprint %1").arg(thumbprint(key));
        line += key.hasPrivate() ? tr("\nthe private part goes to the keychain") : tr("\npublic: kept verify-only");
        m_preview->addItem(line);
    }
    m_import->setEnabled(!m_keys.empty());
}

void KeyImportDialog::importNext()
{
    if (m_next >= m_keys.size()) {
        m_status->setText(tr("Imported %n key(s).", nullptr, int(m_keys.size())));
        m_passphrase->clear();
        m_secret->clear();
        emit imported(int(m_keys.size()));
        accept();
        return;
    }
    const Key& key = m_keys.at(m_next);
    NewKeyOptions options;
    options.name = m_keys.size() == 1 ? m_name->text().trimmed() : QString();
    options.keySet = m_set->text().trimmed();
    options.source = m_kind->currentIndex() == 1 ? tr("typed HMAC secret") : tr("import");
    m_status->setText(tr("Storing key %1 of %2…").arg(m_next + 1).arg(m_keys.size()));
    m_store->add(key, options, this, [this](Result<KeyRecord> stored) {
        if (!stored) {
            m_status->setText(tr("Key %1 was not stored: %2. It is kept in memory; the key manager can retry or "
                                 "export it encrypted.")
                                  .arg(m_next + 1)
                                  .arg(stored.message()));
            m_import->setEnabled(true);
            return;
        }
        ++m_next;
        importNext();
    });
}

} // namespace jwti
