#include "verify/VerifyPanel.h"

#include "core/jose/Algorithms.h"
#include "core/model/TokenDocument.h"
#include "core/model/Verdict.h"
#include "shell/Palette.h"
#include "shell/ReadingOrder.h"
#include "shell/StackedPages.h"
#include "verify/CheckLine.h"
#include "verify/KeyInput.h"
#include "verify/SecretInput.h"
#include "verify/VerdictRole.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QTextDocument>
#include <QVBoxLayout>
#include <algorithm>

namespace jwti {

namespace {

// Checks that rest on the token's own word: worth nothing while its signature is not verified.
bool readsTheTokensWord(const QString& name)
{
    return name != QLatin1String("signature") && name != QLatin1String("alg-allowed")
        && name != QLatin1String("key-fits") && name != QLatin1String("crit");
}

QString checkTitle(const QString& name)
{
    if (name == QLatin1String("signature"))
        return VerifyPanel::tr("signature");
    if (name == QLatin1String("alg-allowed"))
        return VerifyPanel::tr("algorithm allowed");
    if (name == QLatin1String("key-fits"))
        return VerifyPanel::tr("key fits");
    return name; // exp, nbf, iat, aud, iss, crit, typ: the names RFC 7519 and 7515 give them
}

QString checkLine(const VerdictCheck& check, bool secondary)
{
    const QString title = checkTitle(check.name);
    if (secondary) {
        // Never a tick under a signature that does not hold: the claims are only what the token says.
        return check.message.isEmpty()
            ? VerifyPanel::tr("· %1 not relied on: the signature is not verified").arg(title)
            : VerifyPanel::tr("· %1 not relied on: the signature is not verified (%2)").arg(title, check.message);
    }
    return jwti::checkLine(check.state, title, check.message);
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
    , m_detachedPayload(new QPlainTextEdit(this))
    , m_result(new QLabel(this))
    , m_notes(new QLabel(this))
    , m_useAsKey(new QPushButton(this))
    , m_checks(new QListWidget(this))
{
    setObjectName(QStringLiteral("verifyPanel"));
    m_algLabel->setObjectName(QStringLiteral("verifyAlgLabel"));
    m_algLabel->setWordWrap(true);
    m_algLabel->setTextFormat(Qt::RichText);
    m_algLabel->setAccessibleName(tr("Algorithm from the header"));
    m_keyKind->setObjectName(QStringLiteral("verifyKeyKind"));
    m_keyKind->setAccessibleName(tr("Kind of key"));
    // Narrow side panels (a 1024-wide screen with the tour open) must not scroll sideways: the combo may elide.
    m_keyKind->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_keyKind->setMinimumContentsLength(12);
    // Sizing it that way makes its popup list now: named like every other widget, for tests and screen readers.
    m_keyKind->view()->setObjectName(QStringLiteral("verifyKeyKindList"));
    m_keyKind->view()->setAccessibleName(tr("Kinds of key"));
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
    m_detachedPayload->setObjectName(QStringLiteral("verifyDetachedPayload"));
    m_detachedPayload->setAccessibleName(tr("Detached payload"));
    m_detachedPayload->setPlaceholderText(
        tr("optional: the payload of a token sent without it (header..signature, RFC 7515 App. F)"));
    m_detachedPayload->setTabChangesFocus(true);
    m_detachedPayload->setMaximumHeight(m_detachedPayload->fontMetrics().lineSpacing() * 4);
    m_result->setObjectName(QStringLiteral("verifyResult"));
    m_result->setWordWrap(true);
    m_result->setTextFormat(Qt::RichText);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_result->setFrameShape(QFrame::StyledPanel);
    m_result->setMargin(8);
    m_result->setAutoFillBackground(true);
    m_notes->setObjectName(QStringLiteral("verifyNotes"));
    m_notes->setAccessibleName(tr("Notes on the verdict"));
    m_notes->setWordWrap(true);
    m_notes->setTextFormat(Qt::PlainText);
    m_notes->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_notes->hide();
    m_useAsKey->setObjectName(QStringLiteral("verifyUseAsKey"));
    m_useAsKey->setText(tr("&Use it as the key"));
    m_useAsKey->setAccessibleName(tr("Use what was pasted as the key"));
    m_useAsKey->hide();
    connect(m_useAsKey, &QPushButton::clicked, this, [this] {
        // Only the text the user pasted moves, from one field of this window to another; nothing is copied.
        const QString text = m_document->text().trimmed();
        setKeyKind(KeyKind::PublicKey);
        m_keyInput->setKeyText(text);
        emit keyTextMovedFromToken();
        m_keyInput->setFocus();
    });
    m_checks->setObjectName(QStringLiteral("verifyChecks"));
    m_checks->setAccessibleName(tr("Checks of the verdict"));
    m_checks->setWordWrap(true);
    m_checks->setSelectionMode(QAbstractItemView::NoSelection);

    auto* keyBox = new QGroupBox(tr("Key"), this);
    auto* keyLayout = new QFormLayout(keyBox);
    keyLayout->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    keyLayout->setRowWrapPolicy(QFormLayout::WrapLongRows);
    auto* kindLabel = new QLabel(tr("Kin&d:"), keyBox);
    kindLabel->setBuddy(m_keyKind);
    keyLayout->addRow(kindLabel, m_keyKind);
    keyLayout->addRow(m_keyPages);
    keyLayout->addRow(m_extraKeysCheck);
    keyLayout->addRow(m_keyStatus);

    auto* claimsBox = new QGroupBox(tr("Expectations for the claims"), this);
    auto* claimsLayout = new QFormLayout(claimsBox);
    claimsLayout->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    // Labels go above their fields when the panel is narrow, rather than pushing the fields off its edge.
    claimsLayout->setRowWrapPolicy(QFormLayout::WrapLongRows);
    auto* leewayLabel = new QLabel(tr("&Leeway:"), claimsBox);
    leewayLabel->setBuddy(m_leeway);
    claimsLayout->addRow(leewayLabel, m_leeway);
    auto* audLabel = new QLabel(tr("Expected &aud:"), claimsBox);
    audLabel->setBuddy(m_expectedAud);
    claimsLayout->addRow(audLabel, m_expectedAud);
    auto* issLabel = new QLabel(tr("Expected i&ss:"), claimsBox);
    issLabel->setBuddy(m_expectedIss);
    claimsLayout->addRow(issLabel, m_expectedIss);
    auto* detachedLabel = new QLabel(tr("Detached payload:"), claimsBox);
    detachedLabel->setBuddy(m_detachedPayload);
    claimsLayout->addRow(detachedLabel, m_detachedPayload);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_algLabel);
    layout->addWidget(keyBox);
    layout->addWidget(m_result);
    layout->addWidget(m_notes);
    layout->addWidget(m_useAsKey, 0, Qt::AlignLeft);
    layout->addWidget(m_checks, 1);
    layout->addWidget(claimsBox);
    // Takes the room the checks list leaves while there is no token (stretch 0: it yields to the list).
    layout->addStretch(0);

    // Read in the order it is laid out: the checks under the verdict come before the expectations below them.
    setReadingOrder({m_keyKind, m_keyPages, m_extraKeysCheck, m_useAsKey, m_checks, m_leeway, m_expectedAud,
                     m_expectedIss, m_detachedPayload});
    // A screen reader meets the verdict first: it is the panel's first child (children are read in list order;
    // lower() moves it to the front of the list without moving it on screen, where nothing overlaps it).
    m_result->lower();

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
    connect(m_detachedPayload, &QPlainTextEdit::textChanged, this, &VerifyPanel::applyOptions);
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

void VerifyPanel::focusKeyBox()
{
    if (keyKind() == KeyKind::Secret)
        m_secret->setFocus(Qt::ShortcutFocusReason);
    else
        m_keyInput->setFocus(Qt::ShortcutFocusReason);
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
    QString algText;
    if (token.kind == TokenKind::Empty)
        algText = tr("Paste a token to verify it.");
    else if (m_document->isNotAToken())
        algText.clear(); // no header, so no alg: the headline below says what the text is
    else if (!token.header())
        algText = tr("The header cannot be read, so it names no algorithm that could be checked.");
    else if (algName.isEmpty())
        algText = tr("The header names no algorithm (\"alg\").");
    else if (!alg)
        algText = tr("Algorithm from the header: %1 (unknown: it cannot be verified)").arg(algName.toHtmlEscaped());
    else
        algText = tr("Algorithm from the header: <b>%1</b> (%2)")
                      .arg(algName.toHtmlEscaped(), QString::fromUtf8(alg->rfcSection));
    m_algLabel->setText(algText);
    m_algLabel->setVisible(!algText.isEmpty());
    // Heard as what it says (without the markup), not as a fixed title.
    QTextDocument plain;
    plain.setHtml(algText);
    m_algLabel->setAccessibleName(plain.toPlainText());

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
    m_keyStatusText = status;
    applyOptions();
    m_document->setKeys(std::move(keys));
    showResult();
}

void VerifyPanel::showKeyBox()
{
    const Token& token = m_document->token();
    // alg none: no key can verify what carries no signature, so the key box is off and says why (RFC 7518 §3.6).
    const bool unsecured = token.kind != TokenKind::Empty && m_document->verdict().outcome == VerdictOutcome::Unsecured;
    m_keyKind->setEnabled(!unsecured);
    m_keyPages->setEnabled(!unsecured);
    m_extraKeysCheck->setEnabled(!unsecured);
    QString status = m_keyStatusText;
    bool error = !m_keyError.isEmpty();
    if (unsecured) {
        status = tr("No key is used: with alg none the token carries no signature, so no key can verify it.");
        error = false;
    } else if (status.isEmpty() && !m_document->verdict().signatureVerified()
               && m_document->verdict().outcome != VerdictOutcome::Malformed
               && (token.kind == TokenKind::Jws || token.kind == TokenKind::JwsJsonFlattened
                   || token.kind == TokenKind::JwsJsonGeneral)) {
        // What to give, in the words of the kind chosen: a secret is typed, a public key pasted or opened.
        status = keyKind() == KeyKind::Secret
            ? tr("Type the shared secret the token was signed with (as text, hex or base64).")
            : tr("Paste the signer's public key (PEM, JWK or JWKS), or open a key file.");
    }
    m_keyStatus->setText(status);
    // Heard as what it says, not as a fixed title.
    m_keyStatus->setAccessibleName(status.isEmpty() ? tr("Key status") : status);
    m_keyStatus->setVisible(!status.isEmpty());
    Palette::colourWidget(m_keyStatus, error ? Palette::Role::Error : Palette::Role::Info);
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
    // Only a payload the user gives makes an empty payload segment detached (RFC 7515 App. F); without one it is a
    // signature over the empty payload (§7.1).
    const QString detached = m_detachedPayload->toPlainText();
    options.detachedPayload = detached.isEmpty() ? std::nullopt : std::optional<QByteArray>(detached.toUtf8());
    // An unreadable key is the verdict's decisive reason, not a remark beside "no key given".
    options.unusableKey = m_keyError;
    const VerifyOptions& current = m_document->verifyOptions();
    if (current.claims.leeway != options.claims.leeway || current.claims.audiences != options.claims.audiences
        || current.claims.issuer != options.claims.issuer || current.detachedPayload != options.detachedPayload
        || current.unusableKey != options.unusableKey)
        m_document->setVerifyOptions(options);
    showResult();
}

void VerifyPanel::showResult()
{
    showKeyBox();
    const Token& token = m_document->token();
    const Verdict& verdict = m_document->verdict();
    const bool empty = token.kind == TokenKind::Empty;
    const QString headline = empty ? tr("Nothing to verify yet.") : verdict.headline;
    const Palette::Role role = empty ? Palette::Role::Info : verdictRole(verdict.outcome);

    // The headline first, then why it failed, then the key: the order a reader (and a screen reader) meets them.
    QStringList details;
    QString html = QStringLiteral("<p><b>%1</b></p>").arg(headline.toHtmlEscaped());
    // Text that is no token: the headline already says what it is instead; a "why it failed" list would repeat
    // it, and a list of checks that could not run would bury it.
    const bool notAToken = m_document->isNotAToken();
    if (!empty && !notAToken && !verdict.diagnosis.empty()) {
        html += QStringLiteral("<p><b>%1</b></p><ul style=\"margin-left:12px; -qt-list-indent:0\">")
                    .arg(tr("Why it failed").toHtmlEscaped());
        details << tr("Why it failed:");
        for (const Diagnosis& diagnosis : verdict.diagnosis) {
            html += QStringLiteral("<li>%1</li>").arg(diagnosis.message.toHtmlEscaped());
            details << diagnosis.message;
        }
        html += QStringLiteral("</ul>");
    }
    if (!empty) {
        const SignatureVerdict* decisive = verdict.decisiveSignature();
        QString keyLine;
        if (verdict.signatureVerified() && verdict.key) {
            // Said once: the headline of a valid token already names its key and where it came from.
            const bool named = !verdict.keyDescription.isEmpty() && verdict.headline.contains(verdict.keyDescription)
                && verdict.headline.contains(verdict.keyProvenance);
            if (!named)
                keyLine = tr("Verified with %1, %2.").arg(verdict.keyDescription, verdict.keyProvenance);
        } else if (decisive && decisive->key && verdict.outcome == VerdictOutcome::Invalid) {
            keyLine = tr("Checked with %1, %2.")
                          .arg(keyLabel(*decisive->key), describeProvenance(decisive->key->metadata.provenance));
        }
        if (!keyLine.isEmpty()) {
            html += QStringLiteral("<p>%1</p>").arg(keyLine.toHtmlEscaped());
            details << keyLine;
        }
    }
    m_result->setText(html);
    // Read aloud: the headline as the name, so it is heard first; the rest as the description.
    m_result->setAccessibleName(headline);
    m_result->setAccessibleDescription(details.join(QLatin1Char('\n')));
    Palette::colourWidget(m_result, role);

    // Neutral remarks ("No stored key has kid X") in the window's own colours: they are not failures.
    const QStringList notes = empty ? QStringList() : verdict.notes;
    m_notes->setText(notes.join(QLatin1Char('\n')));
    m_notes->setAccessibleDescription(m_notes->text());
    m_notes->setVisible(!notes.isEmpty());
    const bool keyPasted = !empty
        && std::any_of(verdict.diagnosis.begin(), verdict.diagnosis.end(),
                       [](const Diagnosis& d) { return d.code == QLatin1String("not-a-token"); });
    m_useAsKey->setVisible(keyPasted);

    m_checks->clear();
    // No token, no checks: an empty white list would only look like something failed to load. The spacer at the
    // end takes the room instead, so the boxes above keep their size.
    m_checks->setVisible(!empty && !notAToken);
    if (auto* box = qobject_cast<QBoxLayout*>(layout()))
        box->setStretch(box->count() - 1, empty || notAToken ? 1 : 0);
    if (empty || notAToken)
        return;
    const bool signatureHolds = verdict.signatureVerified();
    const QColor secondary = QApplication::palette().color(QPalette::PlaceholderText);
    for (const std::vector<size_t>& group : checkLineGroups(verdict.checks)) {
        if (group.size() > 1) {
            // One line for the checks one reason kept from running; it names them all, aloud too.
            QStringList titles;
            QStringList names;
            for (const size_t index : group) {
                titles << checkTitle(verdict.checks[index].name);
                names << verdict.checks[index].name;
            }
            const QString text = notCheckedText(verdict.checks[group.front()].message, titles);
            auto* item
                = new QListWidgetItem(checkStateMark(CheckState::NotChecked) + QLatin1Char(' ') + text, m_checks);
            item->setData(Qt::UserRole, names);
            item->setData(Qt::AccessibleTextRole, text);
            continue;
        }
        const VerdictCheck& check = verdict.checks[group.front()];
        // A pass or a failure of what only the token says; "not checked" and "not applicable" already claim nothing.
        const bool isSecondary = !signatureHolds && readsTheTokensWord(check.name)
            && (check.state == CheckState::Passed || check.state == CheckState::Failed);
        auto* item = new QListWidgetItem(checkLine(check, isSecondary), m_checks);
        item->setData(Qt::UserRole, check.name);
        // A pass is green only under a valid verdict: a green "algorithm allowed" beside a signature that is not
        // verified would read as reassurance the token has not earned, so it keeps the text's own colour.
        if (isSecondary || check.state == CheckState::NotApplicable)
            item->setForeground(secondary);
        else if (check.state == CheckState::Passed && verdict.isValid())
            item->setForeground(Palette::text(Palette::Role::Valid));
        else if (check.state == CheckState::Failed)
            item->setForeground(Palette::text(Palette::Role::Error));
    }
}

QString VerifyPanel::resultText() const
{
    const QString details = m_result->accessibleDescription();
    return details.isEmpty() ? m_result->accessibleName() : m_result->accessibleName() + QLatin1Char('\n') + details;
}

QString VerifyPanel::headline() const
{
    return m_result->accessibleName();
}

QStringList VerifyPanel::checkLines() const
{
    QStringList lines;
    for (int i = 0; i < m_checks->count(); ++i)
        lines << m_checks->item(i)->text();
    return lines;
}

void VerifyPanel::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    // The verdict's colours are picked for the palette: a theme switch redraws them.
    if (event->type() == QEvent::PaletteChange)
        showResult();
}

void VerifyPanel::setLeeway(int seconds)
{
    m_leeway->setValue(seconds);
}

} // namespace jwti
