#include "VerifyPanel.h"

#include "KeyInput.h"
#include "Palette.h"
#include "SecretInput.h"
#include "StackedPages.h"
#include "jose/Algorithms.h"
#include "model/TokenDocument.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QSpinBox>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace jwti {

namespace {

QString checkLine(const ClaimCheck& check)
{
    return check.passed ? VerifyPanel::tr("✓ %1 passed: %2").arg(check.claim, check.message)
                        : VerifyPanel::tr("✗ %1 failed: %2").arg(check.claim, check.message);
}

} // namespace

VerifyPanel::VerifyPanel(TokenDocument* document, QWidget* parent)
    : QWidget(parent)
    , m_document(document)
    , m_algLabel(new QLabel(this))
    , m_keyKind(new QComboBox(this))
    , m_keyPages(new QStackedWidget(this))
    , m_secret(new SecretInput(QStringLiteral("verifySecret"), tr("HMAC secret for verifying"), this))
    , m_keyInput(new KeyInput(QStringLiteral("verifyKey"), tr("Public key for verifying: PEM, JWK or JWKS"), this))
    , m_extraKeysCheck(new QCheckBox(this))
    , m_keyStatus(new QLabel(this))
    , m_leeway(new QSpinBox(this))
    , m_expectedAud(new QLineEdit(this))
    , m_expectedIss(new QLineEdit(this))
    , m_result(new QLabel(this))
    , m_claimChecks(new QListWidget(this))
{
    setObjectName(QStringLiteral("verifyPanel"));
    m_algLabel->setObjectName(QStringLiteral("verifyAlgLabel"));
    m_algLabel->setWordWrap(true);
    m_algLabel->setAccessibleName(tr("Algorithm from the header"));
    m_keyKind->setObjectName(QStringLiteral("verifyKeyKind"));
    m_keyKind->setAccessibleName(tr("Kind of key"));
    m_keyKind->addItem(tr("HMAC secret"), int(KeyKind::Secret));
    m_keyKind->addItem(tr("Public key: PEM, JWK or JWKS"), int(KeyKind::PublicKey));
    m_keyPages->addWidget(m_secret);
    m_keyPages->addWidget(m_keyInput);
    showOnlyPage(m_keyPages, 0);
    m_extraKeysCheck->setObjectName(QStringLiteral("verifyExtraKeys"));
    m_extraKeysCheck->setChecked(true);
    m_extraKeysCheck->setAccessibleName(tr("Also try keys from elsewhere"));
    m_extraKeysCheck->hide();
    m_keyStatus->setObjectName(QStringLiteral("verifyKeyStatus"));
    m_keyStatus->setWordWrap(true);
    m_keyStatus->setAccessibleName(tr("Key status"));
    m_keyStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_leeway->setObjectName(QStringLiteral("verifyLeeway"));
    m_leeway->setAccessibleName(tr("Leeway for exp, nbf and iat, in seconds"));
    m_leeway->setRange(0, 86400);
    m_leeway->setSuffix(tr(" s"));
    m_expectedAud->setObjectName(QStringLiteral("verifyExpectedAud"));
    m_expectedAud->setAccessibleName(tr("Expected audience"));
    m_expectedAud->setPlaceholderText(tr("optional; several separated by commas"));
    m_expectedIss->setObjectName(QStringLiteral("verifyExpectedIss"));
    m_expectedIss->setAccessibleName(tr("Expected issuer"));
    m_expectedIss->setPlaceholderText(tr("optional"));
    m_result->setObjectName(QStringLiteral("verifyResult"));
    m_result->setAccessibleName(tr("Verification result"));
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_result->setFrameShape(QFrame::StyledPanel);
    m_result->setMargin(8);
    m_result->setAutoFillBackground(true);
    m_claimChecks->setObjectName(QStringLiteral("verifyClaimChecks"));
    m_claimChecks->setAccessibleName(tr("Claims checks"));
    m_claimChecks->setWordWrap(true);

    auto* keyBox = new QGroupBox(tr("Key"), this);
    auto* keyLayout = new QFormLayout(keyBox);
    keyLayout->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    auto* kindLabel = new QLabel(tr("&Kind:"), keyBox);
    kindLabel->setBuddy(m_keyKind);
    keyLayout->addRow(kindLabel, m_keyKind);
    keyLayout->addRow(m_keyPages);
    keyLayout->addRow(m_extraKeysCheck);
    keyLayout->addRow(m_keyStatus);

    auto* claimsBox = new QGroupBox(tr("Claims checks"), this);
    auto* claimsLayout = new QFormLayout(claimsBox);
    claimsLayout->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    auto* leewayLabel = new QLabel(tr("&Leeway:"), claimsBox);
    leewayLabel->setBuddy(m_leeway);
    claimsLayout->addRow(leewayLabel, m_leeway);
    auto* audLabel = new QLabel(tr("Expected &aud:"), claimsBox);
    audLabel->setBuddy(m_expectedAud);
    claimsLayout->addRow(audLabel, m_expectedAud);
    auto* issLabel = new QLabel(tr("Expected &iss:"), claimsBox);
    issLabel->setBuddy(m_expectedIss);
    claimsLayout->addRow(issLabel, m_expectedIss);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_algLabel);
    layout->addWidget(keyBox);
    layout->addWidget(m_result);
    layout->addWidget(claimsBox);
    layout->addWidget(m_claimChecks, 1);

    connect(m_keyKind, &QComboBox::activated, this, [this] { m_kindChosenByUser = true; });
    connect(m_keyKind, &QComboBox::currentIndexChanged, this, [this] {
        showOnlyPage(m_keyPages, m_keyKind->currentIndex());
        applyKeys();
    });
    connect(m_secret, &SecretInput::changed, this, &VerifyPanel::applyKeys);
    connect(m_keyInput, &KeyInput::changed, this, &VerifyPanel::applyKeys);
    connect(m_extraKeysCheck, &QCheckBox::toggled, this, &VerifyPanel::applyKeys);
    connect(m_leeway, &QSpinBox::valueChanged, this, &VerifyPanel::applyOptions);
    connect(m_expectedAud, &QLineEdit::textChanged, this, &VerifyPanel::applyOptions);
    connect(m_expectedIss, &QLineEdit::textChanged, this, &VerifyPanel::applyOptions);
    connect(document, &TokenDocument::tokenChanged, this, &VerifyPanel::onTokenChanged);
    connect(document, &TokenDocument::verificationChanged, this, &VerifyPanel::showResult);
    onTokenChanged();
}

void VerifyPanel::setExtraKeys(std::vector<Key> keys, const QString& label)
{
    m_extraKeys = std::move(keys);
    m_extraLabel = label;
    m_extraKeysCheck->setText(tr("Also try the keys from %1 (%2)").arg(label).arg(m_extraKeys.size()));
    m_extraKeysCheck->setAccessibleName(m_extraKeysCheck->text());
    m_extraKeysCheck->setVisible(!m_extraKeys.empty());
    applyKeys();
}

void VerifyPanel::setKeyKind(KeyKind kind)
{
    m_kindChosenByUser = true;
    m_keyKind->setCurrentIndex(m_keyKind->findData(int(kind)));
}

VerifyPanel::KeyKind VerifyPanel::keyKind() const
{
    return KeyKind(m_keyKind->currentData().toInt());
}

void VerifyPanel::clearKeys()
{
    m_secret->clear();
    m_keyInput->clear();
    m_kindChosenByUser = false;
    applyKeys();
}

void VerifyPanel::onTokenChanged()
{
    const Token& token = m_document->token();
    const QString algName = token.alg();
    const AlgInfo* alg = findAlg(algName);
    if (token.kind == TokenKind::Empty)
        m_algLabel->setText(tr("Paste a token to verify it."));
    else if (algName.isEmpty())
        m_algLabel->setText(tr("The header names no algorithm (\"alg\")."));
    else if (!alg)
        m_algLabel->setText(tr("Algorithm from the header: %1 (unknown: it cannot be verified)").arg(algName));
    else
        m_algLabel->setText(tr("Algorithm from the header: <b>%1</b> (%2)")
                                .arg(algName.toHtmlEscaped(), QString::fromUtf8(alg->rfcSection)));

    // Offer the kind of key the alg needs, unless the user picked one or already typed into the other.
    if (alg && alg->scheme != SignatureScheme::None) {
        const KeyKind wanted = alg->scheme == SignatureScheme::Hmac ? KeyKind::Secret : KeyKind::PublicKey;
        const bool currentEmpty = keyKind() == KeyKind::Secret ? m_secret->isEmpty() : m_keyInput->isEmpty();
        if (wanted != keyKind() && (currentEmpty || !m_kindChosenByUser)) {
            const QSignalBlocker blocker(m_keyKind);
            m_keyKind->setCurrentIndex(m_keyKind->findData(int(wanted)));
            showOnlyPage(m_keyPages, m_keyKind->currentIndex());
            applyKeys();
            return;
        }
    }
    showResult();
}

void VerifyPanel::applyKeys()
{
    std::vector<Key> keys;
    m_keyError.clear();
    QString status;
    if (keyKind() == KeyKind::Secret) {
        if (!m_secret->isEmpty()) {
            Result<Key> key = m_secret->key();
            if (key.ok()) {
                key->metadata.source = tr("the secret entered here");
                key->metadata.provenance = KeyProvenance();
                key->metadata.provenance.kind = KeyProvenance::Kind::Typed;
                key->metadata.provenance.chosenByUser = true;
                status = key->description();
                keys.push_back(std::move(key).value());
            } else {
                m_keyError = key.message();
            }
        }
    } else if (!m_keyInput->isEmpty()) {
        Result<std::vector<Key>> imported = m_keyInput->keys();
        if (imported.ok()) {
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
    if (!m_keyError.isEmpty())
        status = tr("Key not usable: %1").arg(m_keyError);
    if (m_extraKeysCheck->isChecked())
        keys.insert(keys.end(), m_extraKeys.begin(), m_extraKeys.end());
    m_keyStatus->setText(status);
    m_keyStatus->setVisible(!status.isEmpty());
    QPalette palette = m_keyStatus->palette();
    palette.setColor(QPalette::WindowText,
                     m_keyError.isEmpty() ? QApplication::palette().color(QPalette::WindowText)
                                          : Palette::text(Palette::Role::Error));
    m_keyStatus->setPalette(palette);
    applyOptions();
    m_document->setKeys(std::move(keys));
    showResult();
}

void VerifyPanel::applyOptions()
{
    VerifyOptions options = m_document->verifyOptions();
    options.claims.leeway = m_leeway->value();
    options.claims.audiences.clear();
    for (const QString& audience : m_expectedAud->text().split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        if (!audience.trimmed().isEmpty())
            options.claims.audiences << audience.trimmed();
    }
    options.claims.issuer = m_expectedIss->text().trimmed();
    const VerifyOptions& current = m_document->verifyOptions();
    if (current.claims.leeway != options.claims.leeway || current.claims.audiences != options.claims.audiences
        || current.claims.issuer != options.claims.issuer)
        m_document->setVerifyOptions(options);
    showResult();
}

void VerifyPanel::showResult()
{
    const Token& token = m_document->token();
    const auto& result = m_document->verifyResult();
    QString heading;
    QString detail;
    Palette::Role role = Palette::Role::Info;

    if (token.kind == TokenKind::Empty) {
        heading = tr("Nothing to verify yet.");
    } else if (token.kind == TokenKind::Unsecured || token.alg() == QLatin1String("none")) {
        heading = tr("Unsecured token (alg none): nothing to verify.");
        detail = tr("Anyone can write such a token; never accept one (RFC 8725 §3.1).");
        role = Palette::Role::Warning;
    } else if (token.kind == TokenKind::Jwe) {
        heading
            = tr("Encrypted token (JWE): it can be decoded only with the decryption key, which this tool does not do.");
    } else if (!m_keyError.isEmpty() && (!result || result->signatures.empty())) {
        heading = tr("Key not usable: %1").arg(m_keyError);
        role = Palette::Role::Error;
    } else if (!result) {
        const AlgInfo* alg = findAlg(token.alg());
        heading = alg && alg->scheme == SignatureScheme::Hmac
            ? tr("Not verified: enter the shared secret to check the signature.")
            : tr("Not verified: paste or open the public key (PEM, JWK or JWKS) to check the signature.");
    } else if (result->valid) {
        const QString message = !result->signatures.empty() ? result->signatures.front().message : QString();
        heading = message.isEmpty() ? tr("Signature verified.") : message;
        detail = tr("Valid: the signature and every claims check passed.");
        role = Palette::Role::Valid;
    } else {
        const SignatureCheck* check = result->signatures.empty() ? nullptr : &result->signatures.front();
        role = Palette::Role::Error;
        if (check && check->valid) {
            // The signature is good but a claim fails: say both, so the user knows which to fix.
            heading = check->message.isEmpty() ? tr("Signature verified.") : check->message;
            detail = tr("But the token is not valid: %1").arg(result->reason);
        } else {
            switch (result->code) {
            case ErrorCode::SignatureInvalid:
                heading = tr("Invalid signature");
                detail = check && !check->message.isEmpty() ? check->message : result->reason;
                break;
            case ErrorCode::SignatureMalformed:
                heading = tr("Malformed signature");
                detail = result->reason;
                break;
            case ErrorCode::AlgNone:
                heading = tr("Unsecured token (alg none): nothing to verify.");
                break;
            default:
                heading = result->reason.isEmpty() && check ? check->message : result->reason;
                break;
            }
            if (heading.isEmpty())
                heading = tr("Not valid.");
        }
    }
    if (detail == heading)
        detail.clear();
    QString html = QStringLiteral("<b>%1</b>").arg(heading.toHtmlEscaped());
    if (!detail.isEmpty())
        html += QStringLiteral("<br>%1").arg(detail.toHtmlEscaped());
    m_result->setText(html);
    m_result->setAccessibleDescription(detail.isEmpty() ? heading : heading + QStringLiteral(". ") + detail);
    QPalette palette = m_result->palette();
    palette.setColor(QPalette::Window,
                     role == Palette::Role::Info ? QApplication::palette().color(QPalette::Window)
                                                 : Palette::background(role));
    palette.setColor(QPalette::WindowText,
                     role == Palette::Role::Info ? QApplication::palette().color(QPalette::WindowText)
                                                 : Palette::text(role));
    m_result->setPalette(palette);

    m_claimChecks->clear();
    std::vector<ClaimCheck> checks;
    if (result && !result->claims.empty()) {
        checks = result->claims;
    } else if (const JsonValue* claims = token.claims()) {
        ClaimsPolicy policy = m_document->verifyOptions().claims;
        policy.now = m_document->now();
        checks = checkClaims(*claims, policy);
    }
    for (const ClaimCheck& check : checks) {
        auto* item = new QListWidgetItem(checkLine(check), m_claimChecks);
        item->setForeground(Palette::text(check.passed ? Palette::Role::Valid : Palette::Role::Error));
    }
    if (checks.empty() && token.kind != TokenKind::Empty)
        new QListWidgetItem(tr("No time, audience or issuer claims to check."), m_claimChecks);
}

QString VerifyPanel::resultText() const
{
    return m_result->accessibleDescription();
}

void VerifyPanel::setLeeway(int seconds)
{
    m_leeway->setValue(seconds);
}

} // namespace jwti
