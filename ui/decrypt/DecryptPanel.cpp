#include "decrypt/DecryptPanel.h"

#include "core/crypto/KeyManagement.h"
#include "core/jose/Json.h"
#include "core/model/TokenDocument.h"
#include "shell/Palette.h"
#include "shell/ReadingOrder.h"
#include "shell/StackedPages.h"
#include "token/JsonView.h"
#include "verify/CheckLine.h"
#include "verify/KeyInput.h"
#include "verify/SecretInput.h"
#include "verify/VerdictRole.h"

#include <QApplication>
#include <QComboBox>
#include <QEvent>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace jwti {

namespace {

Palette::Role roleOf(DecryptionOutcome outcome)
{
    switch (outcome) {
    case DecryptionOutcome::Decrypted:
        return Palette::Role::Valid;
    case DecryptionOutcome::NotDecrypted:
        return Palette::Role::Warning; // nothing was shown wrong: no key, or none that fits
    case DecryptionOutcome::Failed:
    case DecryptionOutcome::Malformed:
        return Palette::Role::Error;
    }
    return Palette::Role::Info;
}

QString checkTitle(const QString& name)
{
    if (name == QLatin1String("alg-allowed"))
        return DecryptPanel::tr("algorithm allowed");
    if (name == QLatin1String("key-fits"))
        return DecryptPanel::tr("key fits");
    if (name == QLatin1String("key-management"))
        return DecryptPanel::tr("key unwrap or agreement");
    if (name == QLatin1String("tag"))
        return DecryptPanel::tr("authentication tag");
    return name; // zip, crit, header: the names RFC 7516 gives them
}

// Which kind of key an alg needs (RFC 7518 §4.1): an RSA or EC private key, an AES or dir secret, or a password.
DecryptPanel::KeyKind kindFor(const QString& alg)
{
    const KeyManagementInfo* info = findKeyManagement(alg);
    if (!info)
        return DecryptPanel::KeyKind::Secret;
    switch (info->mode) {
    case KeyManagementMode::Pbes2:
        return DecryptPanel::KeyKind::Password;
    case KeyManagementMode::RsaOaep:
    case KeyManagementMode::RsaPkcs1:
    case KeyManagementMode::EcdhEs:
    case KeyManagementMode::EcdhEsKeyWrap:
        return DecryptPanel::KeyKind::PrivateKey;
    case KeyManagementMode::AesKeyWrap:
    case KeyManagementMode::Direct:
    case KeyManagementMode::AesGcmKeyWrap:
        return DecryptPanel::KeyKind::Secret;
    }
    return DecryptPanel::KeyKind::Secret;
}

} // namespace

DecryptPanel::DecryptPanel(TokenDocument* document, QWidget* parent)
    : QWidget(parent)
    , m_document(document)
    , m_intro(new QLabel(this))
    , m_keyKind(new QComboBox(this))
    , m_keyPages(new QStackedWidget(this))
    , m_keyInput(new KeyInput(QStringLiteral("decryptKey"), tr("Private key for decrypting: PEM, JWK or JWKS"), this))
    , m_secret(new SecretInput(QStringLiteral("decryptSecret"), tr("AES or dir key for decrypting"), this))
    , m_password(new SecretInput(QStringLiteral("decryptPassword"), tr("PBES2 password for decrypting"), this))
    , m_keyStatus(new QLabel(this))
    , m_result(new QLabel(this))
    , m_notes(new QLabel(this))
    , m_checks(new QListWidget(this))
    , m_plaintextLabel(new QLabel(tr("Plaintext:"), this))
    , m_plaintext(new JsonView(QStringLiteral("decryptPlaintext"), tr("Decrypted plaintext"), this))
    , m_inner(new QLabel(this))
    , m_openInner(new QPushButton(tr("&Go into the inner token"), this))
{
    setObjectName(QStringLiteral("decryptPanel"));
    m_intro->setObjectName(QStringLiteral("decryptIntro"));
    m_intro->setWordWrap(true);
    m_intro->setTextFormat(Qt::PlainText);
    m_keyKind->setObjectName(QStringLiteral("decryptKeyKind"));
    m_keyKind->setAccessibleName(tr("Kind of key for decrypting"));
    m_keyKind->addItem(tr("Private key: PEM, JWK or JWKS"), int(KeyKind::PrivateKey));
    m_keyKind->addItem(tr("Secret: AES key-wrap or dir key"), int(KeyKind::Secret));
    m_keyKind->addItem(tr("Password (PBES2)"), int(KeyKind::Password));
    // KeyInput's own hint asks for a public key: here it is the private half that decrypts.
    if (auto* edit = m_keyInput->findChild<QPlainTextEdit*>(QStringLiteral("decryptKeyEdit")))
        edit->setPlaceholderText(tr("-----BEGIN PRIVATE KEY-----, a private JWK {\"kty\": …, \"d\": …} or a JWKS"));
    m_keyPages->addWidget(m_keyInput);
    m_keyPages->addWidget(m_secret);
    m_keyPages->addWidget(m_password);
    showOnlyPage(m_keyPages, 0);
    m_keyStatus->setObjectName(QStringLiteral("decryptKeyStatus"));
    m_keyStatus->setWordWrap(true);
    m_keyStatus->setTextFormat(Qt::PlainText);
    m_keyStatus->setAccessibleName(tr("Key status"));
    m_result->setObjectName(QStringLiteral("decryptResult"));
    m_result->setWordWrap(true);
    m_result->setTextFormat(Qt::RichText);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_result->setFrameShape(QFrame::StyledPanel);
    m_result->setMargin(8);
    m_result->setAutoFillBackground(true);
    m_notes->setObjectName(QStringLiteral("decryptNotes"));
    m_notes->setAccessibleName(tr("Notes on the decryption"));
    m_notes->setWordWrap(true);
    m_notes->setTextFormat(Qt::PlainText);
    m_notes->hide();
    m_checks->setObjectName(QStringLiteral("decryptChecks"));
    m_checks->setAccessibleName(tr("Checks of the decryption"));
    m_checks->setWordWrap(true);
    m_checks->setSelectionMode(QAbstractItemView::NoSelection);
    m_checks->setMinimumHeight(m_checks->fontMetrics().lineSpacing() * 6);
    m_plaintextLabel->setBuddy(m_plaintext);
    m_plaintext->setMinimumHeight(m_plaintext->fontMetrics().lineSpacing() * 6);
    m_inner->setObjectName(QStringLiteral("decryptInner"));
    m_inner->setWordWrap(true);
    m_inner->setTextFormat(Qt::PlainText);
    m_inner->setFrameShape(QFrame::StyledPanel);
    m_inner->setMargin(6);
    m_openInner->setObjectName(QStringLiteral("decryptOpenInner"));
    m_openInner->setAccessibleName(tr("Open the inner token as the window's token"));

    auto* keyBox = new QGroupBox(tr("Key for decrypting"), this);
    auto* keyLayout = new QFormLayout(keyBox);
    keyLayout->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    auto* kindLabel = new QLabel(tr("Key &material:"), keyBox);
    kindLabel->setBuddy(m_keyKind);
    keyLayout->addRow(kindLabel, m_keyKind);
    keyLayout->addRow(m_keyPages);
    keyLayout->addRow(m_keyStatus);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_intro);
    layout->addWidget(keyBox);
    layout->addWidget(m_result);
    layout->addWidget(m_notes);
    layout->addWidget(m_checks, 1);
    layout->addWidget(m_inner);
    layout->addWidget(m_openInner, 0, Qt::AlignLeft);
    layout->addWidget(m_plaintextLabel);
    layout->addWidget(m_plaintext, 2);
    setReadingOrder({m_keyKind, m_keyPages, m_checks, m_openInner, m_plaintext});
    // A screen reader meets the verdict first (as in the verify panel).
    m_result->lower();

    connect(m_keyKind, &QComboBox::activated, this, [this] { m_kindChosenByUser = true; });
    connect(m_keyKind, &QComboBox::currentIndexChanged, this, [this] {
        showOnlyPage(m_keyPages, m_keyKind->currentIndex());
        applyKeys();
    });
    connect(m_keyInput, &KeyInput::changed, this, &DecryptPanel::applyKeys);
    connect(m_secret, &SecretInput::changed, this, &DecryptPanel::applyKeys);
    connect(m_password, &SecretInput::changed, this, &DecryptPanel::applyKeys);
    connect(m_openInner, &QPushButton::clicked, this, [this] {
        if (m_verdict.inner)
            emit innerTokenRequested(QString::fromUtf8(m_verdict.inner->text));
    });
    connect(document, &TokenDocument::tokenChanged, this, &DecryptPanel::onTokenChanged);
    // A nested JWS is verified with the verify panel's keys and expectations.
    connect(document, &TokenDocument::keysChanged, this, &DecryptPanel::recompute);
    onTokenChanged();
}

// A decrypt still running holds its own copies of the keys and token, nothing of the panel's; its answer is dropped.
DecryptPanel::~DecryptPanel() = default;

void DecryptPanel::setKeyKind(KeyKind kind)
{
    m_kindChosenByUser = true;
    m_keyKind->setCurrentIndex(m_keyKind->findData(int(kind)));
}

DecryptPanel::KeyKind DecryptPanel::keyKind() const
{
    return KeyKind(m_keyKind->currentData().toInt());
}

void DecryptPanel::focusKeyBox()
{
    m_keyPages->currentWidget()->setFocus(Qt::ShortcutFocusReason);
}

void DecryptPanel::clearKeys()
{
    m_keyInput->clear();
    m_secret->clear();
    m_password->clear();
    m_kindChosenByUser = false;
    applyKeys();
}

void DecryptPanel::setExtraKeys(std::vector<Key> keys)
{
    m_extraKeys = std::move(keys);
    applyKeys();
}

void DecryptPanel::onTokenChanged()
{
    const Token& token = m_document->token();
    if (token.kind == TokenKind::Jwe && !m_kindChosenByUser) {
        const QString alg = token.alg();
        if (!alg.isEmpty() && kindFor(alg) != keyKind()) {
            const QSignalBlocker blocker(m_keyKind);
            m_keyKind->setCurrentIndex(m_keyKind->findData(int(kindFor(alg))));
            showOnlyPage(m_keyPages, m_keyKind->currentIndex());
            applyKeys();
            return;
        }
    }
    recompute();
}

void DecryptPanel::applyKeys()
{
    std::vector<Key> keys;
    m_keyError.clear();
    QString status;
    auto typed = [](Key key, const QString& source) {
        key.metadata.source = source;
        key.metadata.provenance = KeyProvenance();
        key.metadata.provenance.kind = KeyProvenance::Kind::Typed;
        key.metadata.provenance.chosenByUser = true;
        return key;
    };
    switch (keyKind()) {
    case KeyKind::PrivateKey:
        if (!m_keyInput->isEmpty()) {
            Result<std::vector<Key>> imported = m_keyInput->keys();
            if (imported) {
                QStringList names;
                for (const Key& key : imported.value())
                    names << (key.metadata.kid.isEmpty() ? key.description()
                                                         : tr("%1 (kid %2)").arg(key.description(), key.metadata.kid));
                status = names.size() > 3 ? tr("%1 keys read").arg(names.size()) : names.join(QStringLiteral("; "));
                keys = std::move(imported).value();
            } else {
                m_keyError = imported.message();
            }
        }
        break;
    case KeyKind::Secret:
    case KeyKind::Password: {
        SecretInput* input = keyKind() == KeyKind::Secret ? m_secret : m_password;
        if (!input->isEmpty()) {
            Result<Key> key = input->key();
            if (key) {
                // A password is no HMAC secret: only its length is said.
                status = keyKind() == KeyKind::Password ? tr("a password") : tr("a %1-bit secret").arg(key->bits());
                keys.push_back(typed(std::move(key).value(),
                                     keyKind() == KeyKind::Password ? tr("the password entered here")
                                                                    : tr("the secret entered here")));
            } else {
                m_keyError = key.message();
            }
        }
        break;
    }
    }
    if (!m_keyError.isEmpty())
        status = tr("Key not usable: %1").arg(m_keyError);
    keys.insert(keys.end(), m_extraKeys.begin(), m_extraKeys.end());
    m_keys = std::move(keys);
    m_keyStatus->setText(status);
    m_keyStatus->setAccessibleName(status.isEmpty() ? tr("Key status") : status);
    m_keyStatus->setVisible(!status.isEmpty());
    Palette::colourWidget(m_keyStatus, m_keyError.isEmpty() ? Palette::Role::Info : Palette::Role::Error);
    recompute();
}

void DecryptPanel::recompute()
{
    // One decrypt at a time (PBES2 may take a second, and typing would start one a key press): the running one is
    // for older inputs, so its answer is dropped and this one runs when it ends.
    if (m_decryption.isRunning()) {
        m_pending = true;
        return;
    }
    m_pending = false;
    const Token& token = m_document->token();
    if (token.kind != TokenKind::Jwe) {
        m_verdict = DecryptionVerdict();
        showVerdict();
        return;
    }
    // A compact JWE as parsed (paste noise removed); a JSON one as given (its whitespace is JSON's own).
    const QByteArray text = token.segments.size() == 5 ? token.text : m_document->text().toUtf8();
    const std::vector<Key> keys = m_keys;
    DecryptionExpectations expectations;
    expectations.verifyKeys = m_document->keys();
    expectations.innerExpectations = m_document->verifyOptions();
    // The document's clock, as its own verdict has it (the options carry none).
    expectations.innerExpectations.claims.now = m_document->now();
    m_decryption.start(
        [text, keys, expectations](const std::atomic_bool&) {
            return computeDecryptionVerdict(QByteArrayView(text), keys, expectations);
        },
        [this](DecryptionVerdict verdict) {
            if (m_pending) {
                recompute();
                return;
            }
            m_verdict = std::move(verdict);
            showVerdict();
        });
}

void DecryptPanel::showVerdict()
{
    const bool isJwe = m_document->token().kind == TokenKind::Jwe;
    const DecryptionVerdict& verdict = m_verdict;
    if (!isJwe)
        m_intro->setText(tr("This token is not encrypted: open a JWE (five parts, or JSON with \"ciphertext\") to "
                            "decrypt it."));
    else if (!verdict.alg.isEmpty())
        m_intro->setText(tr("Encrypted: the key is managed with %1, the content encrypted with %2. Give the key to "
                            "decrypt it; nothing is decrypted with the verify panel's keys.")
                             .arg(verdict.alg, verdict.enc));
    else
        m_intro->setText(tr("Encrypted (JWE)."));
    m_intro->setAccessibleName(m_intro->text());

    const QString headline = isJwe ? verdict.headline : tr("Nothing to decrypt.");
    const Palette::Role role = isJwe ? roleOf(verdict.outcome) : Palette::Role::Info;
    QString html = QStringLiteral("<p><b>%1</b></p>").arg(headline.toHtmlEscaped());
    // The headline names the key and where it came from; the checks below say what was checked.
    m_result->setText(html);
    m_result->setAccessibleName(headline);
    Palette::colourWidget(m_result, role);

    const QStringList notes = isJwe ? verdict.notes : QStringList();
    m_notes->setText(notes.join(QLatin1Char('\n')));
    m_notes->setAccessibleDescription(m_notes->text());
    m_notes->setVisible(!notes.isEmpty());

    m_checks->clear();
    m_checks->setVisible(isJwe);
    const std::vector<VerdictCheck> checks = isJwe ? verdict.checks : std::vector<VerdictCheck>();
    for (const std::vector<size_t>& group : checkLineGroups(checks)) {
        if (group.size() > 1) {
            // One line for the checks one reason kept from running, as the verify panel writes them.
            QStringList titles;
            QStringList names;
            for (const size_t index : group) {
                titles << checkTitle(checks[index].name);
                names << checks[index].name;
            }
            const QString text = notCheckedText(checks[group.front()].message, titles);
            auto* item
                = new QListWidgetItem(checkStateMark(CheckState::NotChecked) + QLatin1Char(' ') + text, m_checks);
            item->setData(Qt::UserRole, names);
            item->setData(Qt::AccessibleTextRole, text);
            continue;
        }
        const VerdictCheck& check = checks[group.front()];
        const QString line = checkLine(check.state, checkTitle(check.name), check.message);
        auto* item = new QListWidgetItem(line, m_checks);
        item->setData(Qt::UserRole, check.name);
        // As in the verify panel: a pass is green only when the token decrypted, never beside a failure.
        if (check.state == CheckState::NotApplicable)
            item->setForeground(QApplication::palette().color(QPalette::PlaceholderText));
        else if (check.state == CheckState::Passed && verdict.isDecrypted())
            item->setForeground(Palette::text(Palette::Role::Valid));
        else if (check.state == CheckState::Failed)
            item->setForeground(Palette::text(Palette::Role::Error));
    }

    // The plaintext: JSON in its own key order, else text or hex. Shown here only, never logged or kept.
    const bool decrypted = isJwe && verdict.isDecrypted();
    m_plaintextLabel->setVisible(decrypted);
    m_plaintext->setVisible(decrypted);
    if (decrypted) {
        const QByteArray& bytes = verdict.plaintext;
        const QByteArray trimmed = bytes.trimmed();
        std::optional<JsonDocument> json;
        if (trimmed.startsWith('{') || trimmed.startsWith('['))
            json = parseJson(bytes);
        if (json && json->ok())
            m_plaintext->showDocument(*json, bytes);
        else
            m_plaintext->showBytes(bytes, tr("%1 bytes").arg(bytes.size()));
    } else {
        m_plaintext->clear();
    }

    const bool nested = decrypted && verdict.nested != NestedKind::None && verdict.inner;
    m_inner->setVisible(nested);
    m_openInner->setVisible(nested);
    if (nested) {
        QString text = verdict.nested == NestedKind::Jwe
            ? tr("The plaintext is itself an encrypted token (JWE), inside this one.")
            : tr("The plaintext is a signed token (JWS), inside this JWE. Its own verdict, with the verify panel's "
                 "keys: %1")
                  .arg(verdict.innerVerdict ? verdict.innerVerdict->headline : QString());
        m_inner->setText(text);
        m_inner->setAccessibleName(text);
        Palette::colourWidget(m_inner,
                              verdict.innerVerdict ? verdictRole(verdict.innerVerdict->outcome) : Palette::Role::Info);
    }
    emit verdictChanged();
}

QString DecryptPanel::headline() const
{
    return m_result->accessibleName();
}

QStringList DecryptPanel::checkLines() const
{
    QStringList lines;
    for (int i = 0; i < m_checks->count(); ++i)
        lines << m_checks->item(i)->text();
    return lines;
}

void DecryptPanel::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        showVerdict();
}

} // namespace jwti
