#include "verify/KeyInput.h"

#include "core/crypto/KeyFormats.h"
#include "core/crypto/SecretBytes.h"
#include "shell/FileDialogs.h"

#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStringDecoder>
#include <QVBoxLayout>

namespace jwti {

namespace {

constexpr qsizetype kMaxKeyFileBytes = 1024 * 1024;
// How long typing must pause before slow input is read: a passphrase is not derived at every keystroke.
constexpr int kSlowReadDelayMs = 300;

} // namespace

KeyInput::KeyInput(const QString& prefix, const QString& accessibleName, QWidget* parent)
    : QWidget(parent)
    , m_edit(new QPlainTextEdit(this))
    , m_open(new QPushButton(tr("Open key f&ile…"), this))
    , m_passphrase(new QLineEdit(this))
{
    setFocusProxy(m_edit);
    setObjectName(prefix);
    m_edit->setObjectName(prefix + QStringLiteral("Edit"));
    m_edit->setAccessibleName(accessibleName);
    m_edit->setPlaceholderText(tr("-----BEGIN PUBLIC KEY-----, a JWK {\"kty\": …} or a JWKS {\"keys\": […]}"));
    m_edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_edit->setTabChangesFocus(true);
    m_edit->setWordWrapMode(QTextOption::WrapAnywhere);
    m_open->setObjectName(prefix + QStringLiteral("Open"));
    m_open->setAccessibleName(tr("Open a key file"));
    m_passphrase->setObjectName(prefix + QStringLiteral("Passphrase"));
    m_passphrase->setAccessibleName(tr("Passphrase of the encrypted key"));
    m_passphrase->setPlaceholderText(tr("passphrase of the encrypted key"));
    m_passphrase->setEchoMode(QLineEdit::Password);
    m_passphrase->hide();

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_edit, 1);
    auto* row = new QHBoxLayout;
    row->addWidget(m_passphrase, 1);
    row->addStretch();
    row->addWidget(m_open);
    layout->addLayout(row);

    connect(m_edit, &QPlainTextEdit::textChanged, this, [this] {
        if (!m_fileBytes.isEmpty() && m_edit->toPlainText() != m_fileLabel) {
            m_fileBytes.clear();
            m_edit->setReadOnly(false);
            m_filePath.clear();
        }
        if (m_fileBytes.isEmpty() && !m_filePath.isEmpty() && m_edit->toPlainText() != m_fileText)
            m_filePath.clear();
        readKeys();
    });
    connect(m_passphrase, &QLineEdit::textChanged, this, &KeyInput::readKeys);
    connect(m_open, &QPushButton::clicked, this, &KeyInput::openFile);
    m_readDelay.setSingleShot(true);
    m_readDelay.setInterval(kSlowReadDelayMs);
    connect(&m_readDelay, &QTimer::timeout, this, &KeyInput::startReading);
}

bool KeyInput::isEmpty() const
{
    return m_fileBytes.isEmpty() && m_edit->toPlainText().trimmed().isEmpty();
}

QByteArray KeyInput::inputBytes() const
{
    return m_fileBytes.isEmpty() ? m_edit->toPlainText().toUtf8() : m_fileBytes;
}

SecretBytes KeyInput::passphraseBytes() const
{
    QByteArray bytes = m_passphrase->text().toUtf8();
    SecretBytes passphrase(bytes);
    wipeBytes(bytes);
    return passphrase;
}

// The core reads the keys (importKeys decides what the bytes are); quick input at once, slow input off the UI thread.
void KeyInput::readKeys()
{
    m_readDelay.stop();
    m_reading.cancel();
    if (isEmpty()) {
        finishReading(std::vector<Key>());
        return;
    }
    QByteArray bytes = inputBytes();
    const SecretBytes passphrase = passphraseBytes();
    if (keyImportMayBeSlow(bytes, passphrase)) {
        wipeBytes(bytes);
        m_readDelay.start();
        return;
    }
    Result<std::vector<Key>> keys = importKeys(bytes, passphrase);
    wipeBytes(bytes);
    finishReading(std::move(keys));
}

void KeyInput::startReading()
{
    m_reading.start(
        [bytes = inputBytes(), passphrase = passphraseBytes()](const std::atomic_bool&) mutable {
            auto keys = std::make_shared<Result<std::vector<Key>>>(importKeys(bytes, passphrase));
            wipeBytes(bytes);
            return keys;
        },
        [this](const std::shared_ptr<Result<std::vector<Key>>>& keys) { finishReading(std::move(*keys)); });
}

void KeyInput::finishReading(Result<std::vector<Key>> keys)
{
    const bool needsPassphrase
        = !keys.ok() && (keys.code() == ErrorCode::PassphraseRequired || keys.code() == ErrorCode::PassphraseWrong);
    m_passphrase->setVisible(needsPassphrase || !m_passphrase->text().isEmpty());
    if (keys.ok()) {
        const bool fromFile = !m_filePath.isEmpty();
        const QString source = !m_fileBytes.isEmpty() ? m_fileLabel
            : fromFile                                ? QFileInfo(m_filePath).fileName()
                                                      : tr("the pasted key");
        for (Key& key : keys.value()) {
            if (key.metadata.source.isEmpty())
                key.metadata.source = source;
            // The user put this key here: a signature it does not verify makes the token invalid.
            key.metadata.provenance = KeyProvenance();
            key.metadata.provenance.kind = fromFile ? KeyProvenance::Kind::File : KeyProvenance::Kind::Typed;
            key.metadata.provenance.chosenByUser = true;
            key.metadata.provenance.file = m_filePath;
        }
    }
    m_keys = std::move(keys);
    emit changed();
}

void KeyInput::setKeyText(const QString& text)
{
    m_fileBytes.clear();
    m_filePath.clear();
    m_edit->setReadOnly(false);
    m_edit->setPlainText(text);
}

void KeyInput::clear()
{
    m_fileBytes.clear();
    m_filePath.clear();
    m_edit->setReadOnly(false);
    m_edit->clear();
    m_passphrase->clear();
    m_passphrase->hide();
}

void KeyInput::openFile()
{
    const QString fileName = FileDialogs::getOpenFileName(
        this, tr("Open a key"), tr("Keys (*.pem *.key *.pub *.crt *.cer *.der *.jwk *.json);;All files (*)"));
    if (fileName.isEmpty())
        return;
    QByteArray bytes;
    QString error;
    if (!FileDialogs::readFile(fileName, kMaxKeyFileBytes, bytes, error)) {
        setKeyText(QString());
        m_edit->setPlaceholderText(error);
        return;
    }
    QStringDecoder decoder(QStringDecoder::Utf8);
    const QString text = decoder.decode(bytes);
    if (!decoder.hasError() && !text.contains(QChar(0))) {
        m_fileBytes.clear();
        m_edit->setReadOnly(false);
        m_edit->blockSignals(true);
        m_edit->setPlainText(text);
        m_edit->blockSignals(false);
        // The field now holds the file as read; an edit of it makes the key one typed here.
        m_filePath = fileName;
        m_fileText = m_edit->toPlainText();
        readKeys();
        return;
    }
    // Binary: a DER key. Keep the bytes, show the file's name instead.
    m_fileLabel = tr("DER key from %1").arg(QFileInfo(fileName).fileName());
    m_edit->blockSignals(true);
    m_edit->setPlainText(m_fileLabel);
    m_edit->blockSignals(false);
    m_fileBytes = bytes;
    m_filePath = fileName;
    m_edit->setReadOnly(true);
    readKeys();
}

} // namespace jwti
