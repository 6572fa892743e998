#include "sign/SigningEditor.h"

#include "core/crypto/KeyFormats.h"
#include "core/crypto/KeyGeneration.h"
#include "core/jose/Algorithms.h"
#include "core/jose/Jwk.h"
#include "core/jose/Jws.h"
#include "core/jose/Token.h"
#include "keystore/KeyStore.h"
#include "shell/BackgroundTask.h"
#include "shell/Palette.h"
#include "shell/ReadingOrder.h"
#include "shell/StackedPages.h"
#include "verify/KeyInput.h"
#include "verify/SecretInput.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDateTime>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QTextBlock>
#include <QVBoxLayout>

namespace jwti {

namespace {

const char* const kDefaultHeader = "{\n  \"alg\": \"HS256\",\n  \"typ\": \"JWT\"\n}";

void setStatus(QLabel* label, const QString& text, bool error)
{
    label->setText(text);
    QPalette palette = label->palette();
    palette.setColor(QPalette::WindowText,
                     error ? Palette::text(Palette::Role::Error) : QApplication::palette().color(QPalette::WindowText));
    label->setPalette(palette);
}

} // namespace

SigningEditor::SigningEditor(QWidget* parent)
    : QWidget(parent)
    , m_headerEdit(makeJsonEdit(QStringLiteral("signHeaderEdit"), tr("Header JSON to sign")))
    , m_headerStatus(new QLabel(this))
    , m_payloadEdit(makeJsonEdit(QStringLiteral("signPayloadEdit"), tr("Payload JSON to sign")))
    , m_payloadStatus(new QLabel(this))
    , m_alg(new QComboBox(this))
    , m_keyPages(new QStackedWidget(this))
    , m_secret(new SecretInput(QStringLiteral("signSecret"), tr("HMAC secret for signing"), this))
    , m_keyInput(new KeyInput(QStringLiteral("signKey"), tr("Private key for signing: PEM or JWK"), this))
    , m_keySource(new QComboBox(this))
    , m_storedKeyInfo(new QLabel(this))
    , m_generate(new QPushButton(tr("&Generate a key"), this))
    , m_keyStatus(new QLabel(this))
    , m_kid(new QLineEdit(this))
    , m_output(new QPlainTextEdit(this))
    , m_status(new QLabel(this))
    , m_generation(std::make_unique<BackgroundTask<std::shared_ptr<Result<Key>>>>(this))
{
    setObjectName(QStringLiteral("signingEditor"));
    m_headerStatus->setObjectName(QStringLiteral("signHeaderStatus"));
    m_headerStatus->setWordWrap(true);
    m_payloadStatus->setObjectName(QStringLiteral("signPayloadStatus"));
    m_payloadStatus->setWordWrap(true);
    m_alg->setObjectName(QStringLiteral("signAlgCombo"));
    m_alg->setAccessibleName(tr("Signing algorithm"));
    for (const AlgInfo& alg : allAlgs()) {
        if (alg.scheme != SignatureScheme::None)
            m_alg->addItem(alg.displayName());
    }
    m_keyPages->addWidget(m_secret);
    m_keyPages->addWidget(m_keyInput);
    m_keyPages->addWidget(m_storedKeyInfo);
    m_keySource->setObjectName(QStringLiteral("signKeySource"));
    m_keySource->setAccessibleName(tr("Where the signing key comes from"));
    m_storedKeyInfo->setObjectName(QStringLiteral("signStoredKeyInfo"));
    m_storedKeyInfo->setWordWrap(true);
    m_storedKeyInfo->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_keyInput->findChild<QPlainTextEdit*>(QStringLiteral("signKeyEdit"))
        ->setPlaceholderText(tr("-----BEGIN PRIVATE KEY----- or a private JWK; or generate a key"));
    m_generate->setObjectName(QStringLiteral("signGenerateKey"));
    m_generate->setAccessibleName(tr("Generate a key for the chosen algorithm"));
    m_keyStatus->setObjectName(QStringLiteral("signKeyStatus"));
    m_keyStatus->setWordWrap(true);
    m_kid->setObjectName(QStringLiteral("signKidEdit"));
    m_kid->setAccessibleName(tr("Key ID to put in the header"));
    m_kid->setPlaceholderText(tr("kid (empty: the key's RFC 7638 thumbprint)"));
    m_output->setObjectName(QStringLiteral("signedToken"));
    m_output->setAccessibleName(tr("Signed token"));
    m_output->setReadOnly(true);
    m_output->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_output->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_output->setWordWrapMode(QTextOption::WrapAnywhere);
    m_output->setTabChangesFocus(true);
    m_status->setObjectName(QStringLiteral("signStatus"));
    m_status->setAccessibleName(tr("Signing status"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto makeButton = [this](const QString& name, const QString& text, const QString& accessible) {
        auto* button = new QPushButton(text, this);
        button->setObjectName(name);
        button->setAccessibleName(accessible);
        return button;
    };
    auto* iatButton = makeButton(QStringLiteral("signIatNow"), tr("iat = now"), tr("Set iat to now"));
    auto* exp15Button
        = makeButton(QStringLiteral("signExp15m"), tr("exp +15 min"), tr("Set exp to 15 minutes from now"));
    auto* exp1hButton = makeButton(QStringLiteral("signExp1h"), tr("exp +1 h"), tr("Set exp to one hour from now"));
    auto* exp1dButton = makeButton(QStringLiteral("signExp1d"), tr("exp +1 day"), tr("Set exp to one day from now"));
    auto* kidButton = makeButton(QStringLiteral("signSetKid"), tr("Set kid"), tr("Put the key ID in the header"));
    auto* signButton = makeButton(QStringLiteral("signButton"), tr("&Sign"), tr("Sign the token now"));
    auto* copyToken = makeButton(QStringLiteral("copySignedToken"), tr("&Copy token"), tr("Copy the signed token"));
    auto* copyHeader = makeButton(QStringLiteral("copySignedHeader"), tr("Copy header"),
                                  tr("Copy the encoded header of the signed token"));
    auto* copyPayload = makeButton(QStringLiteral("copySignedPayload"), tr("Copy payload"),
                                   tr("Copy the encoded payload of the signed token"));
    auto* copySignature = makeButton(QStringLiteral("copySignedSignature"), tr("Copy signature"),
                                     tr("Copy the encoded signature of the signed token"));
    auto* inspect = makeButton(QStringLiteral("inspectSignedToken"), tr("Inspect"),
                               tr("Open the signed token in the inspector and verify it"));

    auto* jsonSplitter = new QSplitter(Qt::Vertical, this);
    auto addJsonBlock = [&](const QString& title, QPlainTextEdit* edit, QLabel* status) {
        auto* box = new QWidget(jsonSplitter);
        auto* boxLayout = new QVBoxLayout(box);
        boxLayout->setContentsMargins(0, 0, 0, 0);
        auto* label = new QLabel(title, box);
        label->setBuddy(edit);
        boxLayout->addWidget(label);
        boxLayout->addWidget(edit, 1);
        boxLayout->addWidget(status);
        jsonSplitter->addWidget(box);
    };
    addJsonBlock(tr("Header (&JSON):"), m_headerEdit, m_headerStatus);
    addJsonBlock(tr("P&ayload (JSON):"), m_payloadEdit, m_payloadStatus);
    jsonSplitter->setStretchFactor(0, 1);
    jsonSplitter->setStretchFactor(1, 2);
    jsonSplitter->setChildrenCollapsible(false);
    // A typical header (alg, typ, kid) whole, and a payload of a few claims: below that the editor scrolls instead.
    const int line = m_headerEdit->fontMetrics().lineSpacing();
    m_headerEdit->setMinimumHeight(line * 5 + 12);
    m_payloadEdit->setMinimumHeight(line * 6 + 12);
    m_output->setMinimumHeight(line * 3 + 12);

    auto* quickRow = new QHBoxLayout;
    quickRow->addWidget(iatButton);
    quickRow->addWidget(exp15Button);
    quickRow->addWidget(exp1hButton);
    quickRow->addWidget(exp1dButton);
    quickRow->addStretch();

    auto* keyBox = new QGroupBox(tr("Algorithm and key"), this);
    auto* keyLayout = new QFormLayout(keyBox);
    keyLayout->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    auto* algLabel = new QLabel(tr("A&lgorithm:"), keyBox);
    algLabel->setBuddy(m_alg);
    auto* algRow = new QHBoxLayout;
    algRow->addWidget(m_alg);
    algRow->addWidget(m_generate);
    algRow->addStretch();
    keyLayout->addRow(algLabel, algRow);
    auto* sourceLabel = new QLabel(tr("Key so&urce:"), keyBox);
    sourceLabel->setBuddy(m_keySource);
    keyLayout->addRow(sourceLabel, m_keySource);
    keyLayout->addRow(m_keyPages);
    keyLayout->addRow(m_keyStatus);
    auto* kidLabel = new QLabel(tr("Key I&D:"), keyBox);
    kidLabel->setBuddy(m_kid);
    auto* kidRow = new QHBoxLayout;
    kidRow->addWidget(m_kid, 1);
    kidRow->addWidget(kidButton);
    keyLayout->addRow(kidLabel, kidRow);

    // Two short rows rather than one long one: the editor shares the window with the token.
    auto* outputRow = new QHBoxLayout;
    outputRow->addWidget(signButton);
    outputRow->addWidget(copyToken);
    outputRow->addStretch();
    outputRow->addWidget(inspect);
    auto* copyRow = new QHBoxLayout;
    copyRow->addWidget(copyHeader);
    copyRow->addWidget(copyPayload);
    copyRow->addWidget(copySignature);
    copyRow->addStretch();

    auto* outputLabel = new QLabel(tr("Signed token:"), this);
    outputLabel->setBuddy(m_output);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(jsonSplitter, 3);
    layout->addLayout(quickRow);
    layout->addWidget(keyBox);
    layout->addWidget(outputLabel);
    layout->addWidget(m_output, 1);
    layout->addWidget(m_status);
    layout->addLayout(outputRow);
    layout->addLayout(copyRow);

    // Tab follows the layout, top to bottom: the buttons made after the fields come back to their places.
    setReadingOrder({m_headerEdit, m_payloadEdit, iatButton, exp15Button, exp1hButton, exp1dButton, m_alg, m_generate,
                     m_keySource, m_keyPages, m_kid, kidButton, m_output, signButton, copyToken, inspect, copyHeader,
                     copyPayload, copySignature});

    m_signTimer.setSingleShot(true);
    m_signTimer.setInterval(150);
    connect(&m_signTimer, &QTimer::timeout, this, &SigningEditor::signNow);
    connect(m_headerEdit, &QPlainTextEdit::textChanged, this, [this] {
        m_document.setText(SigningDocument::Part::Header, m_headerEdit->toPlainText().toUtf8());
        validate(SigningDocument::Part::Header);
        scheduleSign();
    });
    connect(m_payloadEdit, &QPlainTextEdit::textChanged, this, [this] {
        m_document.setText(SigningDocument::Part::Payload, m_payloadEdit->toPlainText().toUtf8());
        validate(SigningDocument::Part::Payload);
        scheduleSign();
    });
    connect(m_alg, &QComboBox::currentIndexChanged, this, &SigningEditor::onAlgChanged);
    connect(m_secret, &SecretInput::changed, this, &SigningEditor::scheduleSign);
    connect(m_keyInput, &KeyInput::changed, this, [this] {
        if (!m_keyInput->isEmpty())
            m_generatedKey.reset();
        scheduleSign();
    });
    connect(m_keySource, &QComboBox::currentIndexChanged, this, &SigningEditor::onKeySourceChanged);
    connect(m_keySource, &QComboBox::activated, this, [this] { m_sourceChosen = true; });
    connect(m_alg, &QComboBox::activated, this, [this] { m_algChosen = true; });
    connect(m_generate, &QPushButton::clicked, this, &SigningEditor::generateKey);
    connect(iatButton, &QPushButton::clicked, this,
            [this] { setMember(false, QStringLiteral("iat"), QByteArray::number(now())); });
    connect(exp15Button, &QPushButton::clicked, this,
            [this] { setMember(false, QStringLiteral("exp"), QByteArray::number(now() + 15 * 60)); });
    connect(exp1hButton, &QPushButton::clicked, this,
            [this] { setMember(false, QStringLiteral("exp"), QByteArray::number(now() + 3600)); });
    connect(exp1dButton, &QPushButton::clicked, this,
            [this] { setMember(false, QStringLiteral("exp"), QByteArray::number(now() + 24 * 3600)); });
    connect(kidButton, &QPushButton::clicked, this, [this] {
        // The kid typed, or the key's own (the model's kid policy decides what a key's kid is).
        const QString typed = m_kid->text().trimmed();
        if (typed.isEmpty()) {
            QString error;
            const std::optional<Key> key = signingKey(error);
            if (!key) {
                setStatus(m_status, error, true);
                return;
            }
            m_document.setKey(key);
        }
        const Result<QString> kid = m_document.kidFor(typed.isEmpty() ? KidPolicy::FromKey : KidPolicy::Typed, typed);
        if (!kid) {
            setStatus(m_status, kid.message(), true);
            return;
        }
        m_kid->setText(*kid);
        setMember(true, QStringLiteral("kid"), jsonQuote(*kid));
    });
    connect(signButton, &QPushButton::clicked, this, &SigningEditor::signNow);
    connect(copyToken, &QPushButton::clicked, this, [this] {
        if (!m_output->toPlainText().isEmpty())
            QGuiApplication::clipboard()->setText(m_output->toPlainText());
    });
    connect(copyHeader, &QPushButton::clicked, this, [this] { copyPart(0); });
    connect(copyPayload, &QPushButton::clicked, this, [this] { copyPart(1); });
    connect(copySignature, &QPushButton::clicked, this, [this] { copyPart(2); });
    connect(inspect, &QPushButton::clicked, this, [this] {
        if (!signNow().isEmpty())
            emit inspectRequested(m_output->toPlainText());
    });
    m_headerEdit->setPlainText(QString::fromLatin1(kDefaultHeader));
    setPayloadText(
        QStringLiteral("{\n  \"sub\": \"1234567890\",\n  \"name\": \"Jane Doe\",\n  \"iat\": %1\n}").arg(now()));
    onAlgChanged();
}

// A running RSA generation is cancelled by its task: it stops between primes; its thread owns nothing of ours.
SigningEditor::~SigningEditor() = default;

QPlainTextEdit* SigningEditor::makeJsonEdit(const QString& name, const QString& accessibleName)
{
    auto* edit = new QPlainTextEdit(this);
    edit->setObjectName(name);
    edit->setAccessibleName(accessibleName);
    edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    edit->setTabChangesFocus(true);
    return edit;
}

qint64 SigningEditor::now() const
{
    return m_nowOverride ? *m_nowOverride : QDateTime::currentSecsSinceEpoch();
}

void SigningEditor::setAlg(const QString& alg)
{
    m_algChosen = true;
    m_alg->setCurrentIndex(m_alg->findText(alg));
}

QString SigningEditor::alg() const
{
    return m_alg->currentText();
}

void SigningEditor::setHeaderText(const QString& json)
{
    m_headerEdit->setPlainText(json);
}

void SigningEditor::setPayloadText(const QString& json)
{
    m_payloadEdit->setPlainText(json);
}

QString SigningEditor::headerText() const
{
    return m_headerEdit->toPlainText();
}

QString SigningEditor::payloadText() const
{
    return m_payloadEdit->toPlainText();
}

QString SigningEditor::signedToken() const
{
    return m_output->toPlainText();
}

QString SigningEditor::statusText() const
{
    return m_status->text();
}

bool SigningEditor::validate(SigningDocument::Part part)
{
    QPlainTextEdit* edit = part == SigningDocument::Part::Header ? m_headerEdit : m_payloadEdit;
    QLabel* status = part == SigningDocument::Part::Header ? m_headerStatus : m_payloadStatus;
    const QByteArray& bytes = m_document.text(part);
    const JsonDocument& document = m_document.json(part);
    if (document.ok() && document.root->isObject()) {
        edit->setExtraSelections({});
        QStringList duplicates;
        for (const JsonDuplicate& duplicate : document.duplicates)
            duplicates << duplicate.path;
        if (duplicates.isEmpty())
            setStatus(status, tr("Valid JSON object."), false);
        else
            setStatus(status,
                      tr("Duplicate member names: %1. Libraries disagree on which one counts.")
                          .arg(duplicates.join(QStringLiteral(", "))),
                      true);
        return duplicates.isEmpty();
    }
    qsizetype byteOffset = 0;
    QString message = tr("Not a JSON object.");
    if (document.error) {
        byteOffset = std::clamp<qsizetype>(document.error->offset, 0, bytes.size());
        message = document.error->message;
    }
    const qsizetype charOffset = QString::fromUtf8(bytes.first(byteOffset)).size();
    const QTextBlock block = edit->document()->findBlock(int(charOffset));
    setStatus(
        status,
        tr("Line %1, column %2: %3").arg(block.blockNumber() + 1).arg(charOffset - block.position() + 1).arg(message),
        true);
    QTextEdit::ExtraSelection selection;
    selection.cursor = QTextCursor(edit->document());
    const int length = int(edit->document()->characterCount() - 1);
    const int begin = int(std::min<qsizetype>(charOffset, std::max(0, length - 1)));
    selection.cursor.setPosition(begin);
    selection.cursor.setPosition(std::min(begin + 1, length), QTextCursor::KeepAnchor);
    selection.format.setUnderlineStyle(QTextCharFormat::WaveUnderline);
    selection.format.setUnderlineColor(Palette::text(Palette::Role::Error));
    selection.format.setBackground(Palette::background(Palette::Role::Error));
    edit->setExtraSelections({selection});
    return false;
}

bool SigningEditor::setMember(bool header, const QString& name, const QByteArray& valueJson)
{
    const auto part = header ? SigningDocument::Part::Header : SigningDocument::Part::Payload;
    if (const Result<void> set = m_document.setMember(part, name, valueJson); !set) {
        setStatus(m_status, set.message(), true);
        return false;
    }
    // Through a cursor, so Undo takes the quick action back.
    QPlainTextEdit* edit = header ? m_headerEdit : m_payloadEdit;
    QTextCursor cursor(edit->document());
    cursor.select(QTextCursor::Document);
    cursor.insertText(QString::fromUtf8(m_document.text(part)));
    return true;
}

void SigningEditor::onAlgChanged()
{
    const AlgInfo* alg = findAlg(m_alg->currentText());
    if (!alg)
        return;
    const bool hmac = alg->scheme == SignatureScheme::Hmac;
    m_generate->setText(hmac ? tr("&Generate a secret") : tr("&Generate a key"));
    refillKeySources();
    if (m_generatedKey) {
        const auto spec = keySpecForAlg(*alg);
        const bool fits = spec.ok() && spec->type == m_generatedKey->type()
            && (spec->curve.isEmpty() || spec->curve == m_generatedKey->curve());
        if (!fits) {
            m_generatedKey.reset();
            m_keyStatus->clear();
        }
    }
    // Keep the header's alg in step with the choice, when the header is an object.
    const JsonDocument& header = m_document.json(SigningDocument::Part::Header);
    if (header.ok() && header.root->isObject()) {
        const JsonValue* current = header.root->member(u"alg");
        if (!current || !current->isString() || current->string != alg->displayName())
            setMember(true, QStringLiteral("alg"), jsonQuote(alg->displayName()));
    }
    scheduleSign();
}

void SigningEditor::scheduleSign()
{
    m_signTimer.start();
}

std::optional<Key> SigningEditor::signingKey(QString& error) const
{
    const AlgInfo* alg = findAlg(m_alg->currentText());
    if (!alg) {
        error = tr("Pick an algorithm.");
        return std::nullopt;
    }
    if (!storedKeySet().isEmpty()) {
        if (m_storedKey)
            return m_storedKey;
        error = m_storedLoading ? tr("Loading the stored key from the keychain…")
            : m_loadWhenShown   ? tr("The stored key is read from the keychain when you open the signing editor.")
                                : m_storedKeyError;
        return std::nullopt;
    }
    if (alg->scheme == SignatureScheme::Hmac) {
        if (m_secret->isEmpty()) {
            error = tr("Enter a secret (at least %1 bits for this algorithm, RFC 7518 §3.2) or generate one.")
                        .arg(alg->minKeyBits);
            return std::nullopt;
        }
        Result<Key> key = m_secret->key();
        if (!key.ok()) {
            error = key.message();
            return std::nullopt;
        }
        return std::move(key).value();
    }
    if (!m_keyInput->isEmpty()) {
        Result<std::vector<Key>> keys = m_keyInput->keys();
        if (!keys.ok()) {
            error = keys.message();
            return std::nullopt;
        }
        Result<Key> key = SigningDocument::chooseSigningKey(keys.value());
        if (!key.ok()) {
            error = key.message();
            return std::nullopt;
        }
        if (!key->hasPrivate()) {
            error = tr("This is a public key: signing needs the private key.");
            return std::nullopt;
        }
        return std::move(key).value();
    }
    if (m_generatedKey)
        return m_generatedKey;
    error = tr("Paste or open a private key, or generate one.");
    return std::nullopt;
}

QString SigningEditor::signNow()
{
    m_signTimer.stop();
    const bool headerOk = validate(SigningDocument::Part::Header);
    const bool payloadOk = validate(SigningDocument::Part::Payload);
    m_output->clear();
    m_lastPublicPem.clear();
    m_lastUsedStored = false;
    if (!headerOk || !payloadOk) {
        setStatus(m_status, tr("Not signed: fix the JSON above first."), true);
        return {};
    }
    QString error;
    const std::optional<Key> key = signingKey(error);
    if (!key) {
        // Before any key is given there is nothing wrong yet: the same words, as a hint rather than an error.
        const AlgInfo* alg = findAlg(m_alg->currentText());
        const bool hmac = alg && alg->scheme == SignatureScheme::Hmac;
        const bool nothingGiven = m_loadWhenShown || m_storedLoading
            || (storedKeySet().isEmpty() && !m_generatedKey && (hmac ? m_secret->isEmpty() : m_keyInput->isEmpty()));
        if (nothingGiven)
            setStatus(m_status, error, false);
        else
            setStatus(m_status, tr("Not signed: %1").arg(error), true);
        return {};
    }
    // The model signs: members in the order written, numbers as written; the header's kid as written here.
    m_document.setAlg(m_alg->currentText());
    m_document.setKey(key);
    m_document.setKidPolicy(KidPolicy::None);
    if (!m_document.sign()) {
        setStatus(m_status, tr("Not signed: %1").arg(m_document.error()->message), true);
        return {};
    }
    m_lastUsedSecret = key->type() == KeyType::Oct;
    m_lastUsedStored = m_storedKey.has_value() && !storedKeySet().isEmpty();
    if (!m_lastUsedSecret)
        m_lastPublicPem = QString::fromLatin1(exportPublicPem(*key));
    m_output->setPlainText(QString::fromLatin1(m_document.token()));
    if (m_lastUsedStored)
        setStatus(m_status,
                  tr("Signed with %1 using the active key of set \u201c%2\u201d (kid %3).")
                      .arg(m_document.alg(), storedKeySet(), key->metadata.kid),
                  false);
    else
        setStatus(m_status, tr("Signed with %1 using %2.").arg(m_document.alg(), key->description()), false);
    return m_output->toPlainText();
}

void SigningEditor::copyPart(int segment)
{
    const QString token = m_output->toPlainText();
    if (token.isEmpty())
        return;
    const Token parsed = decodeUnverified(token);
    if (segment < int(parsed.segments.size()))
        QGuiApplication::clipboard()->setText(QString::fromLatin1(parsed.segments[size_t(segment)].encoded));
}

QString SigningEditor::publicKeyPem() const
{
    return m_lastPublicPem;
}

bool SigningEditor::usesSecret() const
{
    return m_lastUsedSecret;
}

void SigningEditor::generateKey()
{
    const AlgInfo* alg = findAlg(m_alg->currentText());
    if (!alg || m_generation->isRunning())
        return;
    const bool rsa = alg->scheme == SignatureScheme::RsaPkcs1 || alg->scheme == SignatureScheme::RsaPss;
    const Result<KeySpec> spec = keySpecForAlg(*alg, rsa ? m_rsaBits : 0);
    if (!spec.ok()) {
        setStatus(m_keyStatus, spec.message(), true);
        return;
    }
    m_generate->setEnabled(false);
    setStatus(m_keyStatus, tr("Generating a key…"), false);
    const KeySpec keySpec = spec.value();
    m_generation->start(
        [keySpec](const std::atomic_bool& cancelled) {
            return std::make_shared<Result<Key>>(jwti::generateKey(keySpec, &cancelled));
        },
        [this](const std::shared_ptr<Result<Key>>& result) { onKeyGenerated(*result); });
}

void SigningEditor::onKeyGenerated(const Result<Key>& result)
{
    m_generate->setEnabled(true);
    if (result.ok() && result.value().type() == KeyType::Oct) {
        // A generated HMAC secret goes into the (masked) secret field, so it can be shown, used and re-used.
        QByteArray encoded = Base64Url::encode(result.value().secret().view());
        m_secret->setSecret(QString::fromLatin1(encoded), SecretEncoding::Base64);
        wipeBytes(encoded);
        setStatus(m_keyStatus, tr("Generated %1 (base64url in the secret field).").arg(result.value().description()),
                  false);
        signNow();
    } else if (result.ok()) {
        m_keyInput->clear();
        m_generatedKey = result.value();
        setStatus(m_keyStatus, tr("Generated %1, kept in memory only.").arg(m_generatedKey->description()), false);
        signNow();
    } else {
        setStatus(m_keyStatus, result.message(), true);
    }
    emit generationFinished();
}

bool SigningEditor::isGenerating() const
{
    return m_generation->isRunning();
}

void SigningEditor::setKeyStore(KeyStore* store)
{
    if (m_keyStore == store)
        return;
    if (m_keyStore)
        disconnect(m_keyStore, nullptr, this, nullptr);
    m_keyStore = store;
    if (m_keyStore)
        connect(m_keyStore, &KeyStore::recordsChanged, this, [this] {
            refillKeySources();
            preferAStoredKey();
        });
    refillKeySources();
    preferAStoredKey();
}

void SigningEditor::preferAStoredKey()
{
    // Nothing chosen yet and no stored key signs the alg shown: the first alg a stored set signs with, so the
    // editor opens on the user's own key rather than on an empty secret field.
    if (!m_keyStore || m_algChosen || m_sourceChosen || m_keySource->count() > 1 || !m_secret->isEmpty()
        || !m_keyInput->isEmpty() || m_generatedKey)
        return;
    for (int index = 0; index < m_alg->count(); ++index) {
        for (const QString& set : m_keyStore->keySets()) {
            if (m_keyStore->selectSigningKey(m_alg->itemText(index), {}, set)) {
                m_alg->setCurrentIndex(index);
                return;
            }
        }
    }
}

// The first entry is the key typed, pasted or generated here; then one entry per key set whose active key has a
// private half in the keychain and serves the chosen alg (a set signs with one alg, RFC 7517 §4.4).
void SigningEditor::refillKeySources()
{
    const AlgInfo* alg = findAlg(m_alg->currentText());
    const bool hmac = alg && alg->scheme == SignatureScheme::Hmac;
    const QString previous = storedKeySet();
    {
        const QSignalBlocker blocker(m_keySource);
        m_keySource->clear();
        m_keySource->addItem(hmac ? tr("Secret typed here") : tr("Key pasted or generated here"), QString());
        if (m_keyStore && alg) {
            for (const QString& set : m_keyStore->keySets()) {
                // The same choice as sign --keystore --set SET: one selection function for both faces.
                const Result<KeyRecord> active = m_keyStore->selectSigningKey(alg->displayName(), {}, set);
                if (!active)
                    continue;
                m_keySource->addItem(tr("Stored set \u201c%1\u201d: %2 (kid %3)").arg(set, active->name, active->kid),
                                     set);
            }
        }
        // The set in use stays chosen; until the user picks a source, the first set's active key is offered.
        int keep = previous.isEmpty() ? 0 : m_keySource->findData(previous);
        if (keep <= 0)
            keep = !m_sourceChosen && m_keySource->count() > 1 ? 1 : 0;
        m_keySource->setCurrentIndex(keep);
    }
    onKeySourceChanged();
}

void SigningEditor::onKeySourceChanged()
{
    const QString set = storedKeySet();
    const AlgInfo* chosenAlg = findAlg(m_alg->currentText());
    std::optional<KeyRecord> active;
    if (!set.isEmpty() && m_keyStore && chosenAlg) {
        if (auto selected = m_keyStore->selectSigningKey(chosenAlg->displayName(), {}, set))
            active = std::move(selected).value();
    }
    // The same active key stays loaded; anything else drops what was loaded (Key wipes its secret).
    if (!active || active->id != m_storedRecordId) {
        m_storedKey.reset();
        m_storedKeyError.clear();
        m_storedRecordId = active ? active->id : QString();
    }
    m_generate->setEnabled(!active && !m_generation->isRunning());
    if (!active) {
        ++m_storedRequest;
        m_storedLoading = false;
        const AlgInfo* alg = findAlg(m_alg->currentText());
        showOnlyPage(m_keyPages, alg && alg->scheme == SignatureScheme::Hmac ? 0 : 1);
        scheduleSign();
        return;
    }
    showOnlyPage(m_keyPages, 2);
    m_loadWhenShown = false;
    m_storedKeyInfo->setText(tr("Active key of set \u201c%1\u201d: %2, %3, kid %4. The private part stays in the "
                                "system keychain and in memory only while it is chosen here.")
                                 .arg(set, active->name, active->description, active->kid));
    m_kid->setText(active->kid);
    setMember(true, QStringLiteral("kid"), jsonQuote(active->kid));
    if (m_storedKey) {
        scheduleSign();
        return;
    }
    // Offered, not asked for: the keychain is read when the user first looks at the editor, not at start-up.
    if (!m_sourceChosen && !isVisible()) {
        m_loadWhenShown = true;
        setStatus(m_keyStatus, tr("The key is read from the system keychain when you open the signing editor."), false);
        return;
    }
    m_storedLoading = true;
    const quint64 request = ++m_storedRequest;
    setStatus(m_keyStatus, tr("Loading the key from the system keychain…"), false);
    m_keyStore->loadSigningKey(*active, this, [this, request, setName = set](Result<Key> key) {
        if (request != m_storedRequest)
            return;
        m_storedLoading = false;
        if (key.ok()) {
            m_storedKey = std::move(key).value();
            setStatus(m_keyStatus, tr("Loaded the active key of set \u201c%1\u201d from the keychain.").arg(setName),
                      false);
        } else {
            m_storedKeyError = tr("The stored key could not be loaded: %1").arg(key.message());
            setStatus(m_keyStatus, m_storedKeyError, true);
        }
        signNow();
        emit storedKeyLoaded(key.ok());
    });
}

void SigningEditor::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (m_loadWhenShown) {
        m_loadWhenShown = false;
        onKeySourceChanged();
    }
}

bool SigningEditor::useStoredKeySet(const QString& keySet)
{
    const int index = keySet.isEmpty() ? 0 : m_keySource->findData(keySet);
    if (index < 0)
        return false;
    m_sourceChosen = true;
    if (index == m_keySource->currentIndex())
        onKeySourceChanged(); // offered already: now chosen, so it is read from the keychain
    else
        m_keySource->setCurrentIndex(index);
    return true;
}

QString SigningEditor::storedKeySet() const
{
    return m_keySource->currentData().toString();
}

} // namespace jwti
