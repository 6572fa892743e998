#include "teach/SignatureWalkthroughView.h"

#include "core/crypto/Signature.h"
#include "core/jose/Algorithms.h"
#include "core/model/TokenDocument.h"
#include "core/model/Verdict.h"
#include "shell/Palette.h"
#include "teach/WalkthroughStepCard.h"
#include "verify/VerdictRole.h"

#include <QAbstractItemView>
#include <QAbstractTextDocumentLayout>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QFontDatabase>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QTextEdit>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

namespace jwti {

namespace {

// Keys are values sharing their material: copies of one key share the OpenSSL key or the secret's storage, so that
// address tells the key the document verified with apart from the others without ever comparing secrets.
const void* keyIdentity(const Key& key)
{
    if (key.isNull())
        return nullptr;
    if (key.pkey())
        return key.pkey();
    return &key.secret();
}

QString cut(const QString& text)
{
    if (text.size() <= SignatureWalkthroughView::kMaxShownChars)
        return text;
    return text.left(SignatureWalkthroughView::kMaxShownChars) + QLatin1Char(' ')
        + SignatureWalkthroughView::tr("… (the first %1 of %2 characters are shown; Copy copies them all)")
              .arg(SignatureWalkthroughView::kMaxShownChars)
              .arg(text.size());
}

// A read-only text box as tall as its wrapped text, up to maxLines; beyond that it scrolls. Long hex (an RSA-4096
// block is 1,535 characters) wraps at the spaces between bytes, anything else anywhere.
class FittedText : public QTextEdit
{
public:
    FittedText(int maxLines, QWidget* parent)
        : QTextEdit(parent)
        , m_maxLines(maxLines)
    {
        setReadOnly(true);
        setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
        setTabChangesFocus(true);
        setLineWrapMode(QTextEdit::WidgetWidth);
        setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
        setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
        setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
        connect(document()->documentLayout(), &QAbstractTextDocumentLayout::documentSizeChanged, this,
                [this] { fit(); });
        fit();
    }

private:
    void fit()
    {
        const int lines = fontMetrics().lineSpacing() * m_maxLines;
        const int content = int(std::ceil(document()->size().height()));
        setFixedHeight(std::min(content, lines) + 2 * frameWidth() + 2);
    }

    int m_maxLines;
};

// The labelled parts of a step as a table; whether each is what it must be by mark and word, not colour alone.
QString fieldsHtml(const std::vector<WalkField>& fields, const QString& monoFamily)
{
    const bool anyCheck = std::any_of(fields.begin(), fields.end(),
                                      [](const WalkField& field) { return field.matches || !field.note.isEmpty(); });
    const QString valid = Palette::text(Palette::Role::Valid).name();
    const QString error = Palette::text(Palette::Role::Error).name();
    QString html
        = QStringLiteral("<table width=\"100%\" cellspacing=\"0\" cellpadding=\"3\"><tr>"
                         "<th align=\"left\" width=\"22%\">%1</th><th align=\"left\" width=\"%2%\">%3</th>")
              .arg(SignatureWalkthroughView::tr("Field"), anyCheck ? QStringLiteral("50") : QStringLiteral("78"),
                   SignatureWalkthroughView::tr("Value"));
    if (anyCheck)
        html += QStringLiteral("<th align=\"left\" width=\"28%\">%1</th>").arg(SignatureWalkthroughView::tr("Check"));
    html += QStringLiteral("</tr>");
    for (const WalkField& field : fields) {
        QString check;
        if (field.matches) {
            check = *field.matches ? QStringLiteral("<span style=\"color:%1\"><b>%2</b></span>")
                                         .arg(valid, SignatureWalkthroughView::tr("✓ matches"))
                                   : QStringLiteral("<span style=\"color:%1\"><b>%2</b></span>")
                                         .arg(error, SignatureWalkthroughView::tr("✗ does not match"));
        }
        if (!field.note.isEmpty())
            check += (check.isEmpty() ? QString() : QStringLiteral(" — ")) + field.note.toHtmlEscaped();
        const QString value = field.valueText.isEmpty() ? SignatureWalkthroughView::tr("(empty)") : field.valueText;
        html += QStringLiteral("<tr><td valign=\"top\">%1</td><td valign=\"top\" style=\"font-family:'%2'\">%3</td>")
                    .arg(field.label.toHtmlEscaped(), monoFamily, cut(value).toHtmlEscaped());
        if (anyCheck)
            html += QStringLiteral("<td valign=\"top\">%1</td>").arg(check);
        html += QStringLiteral("</tr>");
    }
    html += QStringLiteral("</table>");
    return html;
}

} // namespace

SignatureWalkthroughView::SignatureWalkthroughView(TokenDocument* document, QWidget* parent)
    : QWidget(parent)
    , m_document(document)
    , m_summary(new QLabel(this))
    , m_keyRow(new QWidget(this))
    , m_keyCombo(new QComboBox(m_keyRow))
    , m_scroll(new QScrollArea(this))
    , m_stepsHost(new QWidget(m_scroll))
    , m_stepsLayout(new QVBoxLayout(m_stepsHost))
{
    setObjectName(QStringLiteral("walkthroughView"));
    setAccessibleName(tr("How the signature is made"));
    m_summary->setObjectName(QStringLiteral("walkthroughSummary"));
    m_summary->setAccessibleName(tr("Walk-through summary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setFrameShape(QFrame::StyledPanel);
    m_summary->setMargin(8);
    m_summary->setAutoFillBackground(true);

    m_keyCombo->setObjectName(QStringLiteral("walkthroughKey"));
    m_keyCombo->setAccessibleName(tr("Key used for the walk-through"));
    m_keyCombo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_keyCombo->setMinimumContentsLength(30);
    m_keyCombo->view()->setObjectName(QStringLiteral("walkthroughKeyList"));
    m_keyCombo->view()->setAccessibleName(tr("Keys that fit the algorithm"));
    auto* keyLabel = new QLabel(tr("Walk th&rough with key:"), m_keyRow);
    keyLabel->setBuddy(m_keyCombo);
    auto* keyLayout = new QHBoxLayout(m_keyRow);
    keyLayout->setContentsMargins(0, 0, 0, 0);
    keyLayout->addWidget(keyLabel);
    keyLayout->addWidget(m_keyCombo, 1);

    m_stepsHost->setObjectName(QStringLiteral("walkthroughSteps"));
    m_stepsLayout->setContentsMargins(0, 0, 4, 0);
    m_stepsLayout->addStretch(1);
    m_scroll->setObjectName(QStringLiteral("walkthroughScroll"));
    m_scroll->setWidget(m_stepsHost);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_stepsHost->installEventFilter(this);
    // Once the user scrolls, the view stays where they put it.
    connect(m_scroll->verticalScrollBar(), &QScrollBar::actionTriggered, this, [this] { m_pendingScrollStep = -1; });

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(m_keyRow);
    layout->addWidget(m_scroll, 1);
    // Takes the room when the steps' area is hidden, so the summary keeps its height instead of filling the tab.
    layout->addStretch(0);

    // The document emits several signals for one edit (token, findings, verification): one refresh after them all.
    m_refreshTimer.setSingleShot(true);
    m_refreshTimer.setInterval(0);
    connect(&m_refreshTimer, &QTimer::timeout, this, [this] {
        if (isVisible())
            refresh();
        else
            m_stale = true;
    });
    connect(document, &TokenDocument::tokenChanged, this, &SignatureWalkthroughView::scheduleRefresh);
    connect(document, &TokenDocument::keysChanged, this, [this] {
        m_chosenKey = nullptr;
        scheduleRefresh();
    });
    connect(document, &TokenDocument::verificationChanged, this, &SignatureWalkthroughView::scheduleRefresh);
    connect(m_keyCombo, &QComboBox::activated, this, [this](int index) {
        if (index >= 0 && size_t(index) < m_candidates.size())
            m_chosenKey = keyIdentity(m_candidates[size_t(index)]);
        refresh();
    });
    refresh();
}

QString SignatureWalkthroughView::summaryText() const
{
    return m_summary->text();
}

int SignatureWalkthroughView::currentKeyIndex() const
{
    return m_keyCombo->currentIndex();
}

void SignatureWalkthroughView::setCurrentKeyIndex(int index)
{
    if (index < 0 || size_t(index) >= m_candidates.size())
        return;
    m_chosenKey = keyIdentity(m_candidates[size_t(index)]);
    refresh();
}

void SignatureWalkthroughView::scheduleRefresh()
{
    m_stale = true;
    m_refreshTimer.start();
}

void SignatureWalkthroughView::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (m_stale)
        refresh();
}

void SignatureWalkthroughView::collectCandidates()
{
    m_candidates.clear();
    m_verdictKey = nullptr;
    const Token& token = m_document->token();
    const AlgInfo* alg = findAlg(token.alg());
    const SignatureVerdict* decisive = m_document->verdict().decisiveSignature();
    if (decisive && decisive->key)
        m_verdictKey = keyIdentity(*decisive->key);

    std::vector<Key> fitting;
    for (const Key& key : m_document->keys()) {
        const bool algAllowed = key.metadata.alg.isEmpty() || key.metadata.alg == token.alg();
        if (alg && algAllowed && checkKeyFitsAlg(*alg, key, KeyPurpose::Verify).ok())
            fitting.push_back(key);
    }
    if (fitting.empty()) {
        // None fits: offer the keys the user chose, so the key step says why. Stored keys that do not fit were
        // never candidates; walking through one would show a failure the verdict does not have.
        for (const Key& key : m_document->keys()) {
            if (key.metadata.provenance.chosenByUser)
                fitting.push_back(key);
        }
    }
    // The verdict's key first, then the ones the token's kid names, then the rest in the panel's order.
    const QString kid = token.kid();
    auto rank = [&](const Key& key) {
        if (m_verdictKey && keyIdentity(key) == m_verdictKey)
            return 0;
        if (!kid.isEmpty() && key.metadata.kid == kid)
            return 1;
        return 2;
    };
    std::stable_sort(fitting.begin(), fitting.end(),
                     [&](const Key& left, const Key& right) { return rank(left) < rank(right); });
    if (m_verdictKey && (fitting.empty() || keyIdentity(fitting.front()) != m_verdictKey))
        fitting.insert(fitting.begin(), *decisive->key);
    m_candidates = std::move(fitting);
}

const Key* SignatureWalkthroughView::currentKey() const
{
    const int index = m_keyCombo->currentIndex();
    if (m_state != State::Walk || index < 0 || size_t(index) >= m_candidates.size())
        return nullptr;
    return &m_candidates[size_t(index)];
}

bool SignatureWalkthroughView::showsTheVerdictsKey() const
{
    const Key* key = currentKey();
    return key && m_verdictKey && keyIdentity(*key) == m_verdictKey;
}

void SignatureWalkthroughView::clearSteps()
{
    for (QFrame* card : m_cards)
        delete card;
    m_cards.clear();
}

void SignatureWalkthroughView::setSummary(const QString& text, Palette::Role role)
{
    m_summary->setText(text);
    m_summary->setAccessibleDescription(text);
    Palette::colourWidget(m_summary, role);
}

void SignatureWalkthroughView::showState(State state, const QString& text)
{
    m_state = state;
    m_walk = SignatureWalkthrough();
    m_candidates.clear();
    m_keyCombo->clear();
    m_keyRow->hide();
    setSummary(text, Palette::Role::Info);
}

void SignatureWalkthroughView::refresh()
{
    m_stale = false;
    m_refreshTimer.stop();
    clearSteps();
    const Token& token = m_document->token();
    const QString algName = token.alg();
    const AlgInfo* alg = findAlg(algName);

    if (token.kind == TokenKind::Empty) {
        showState(State::NoToken,
                  tr("Paste a token, or load one from File ▸ Sample tokens, to see how its signature is made and "
                     "checked, step by step."));
    } else if (m_document->isNotAToken()) {
        showState(State::NotAToken, tr("This is not a JWT, so there is no signature to walk through."));
    } else if (token.kind == TokenKind::Jwe) {
        showState(State::Encrypted,
                  tr("This is an encrypted token (JWE, RFC 7516): it is not signed, so there is no signature to walk "
                     "through. Its last part is an authentication tag that only the decryption key can check."));
    } else if (token.signatures.empty()) {
        showState(State::NoSignature,
                  tr("This token has no signature part that could be read, so there is nothing to check. Fix the "
                     "errors listed under the token first."));
    } else if (alg && alg->scheme == SignatureScheme::None) {
        showState(State::Unsecured,
                  tr("✗ alg \"none\": nothing is signed (RFC 7518 §3.6). Anyone can write or change such a token, so "
                     "it never verifies; the signing input below is what a signature would have covered."));
        m_walk = walkThroughSignature(token, Key());
        setSummary(m_summary->text(), Palette::Role::Error);
    } else if (!alg) {
        showState(State::Unsupported,
                  algName.isEmpty()
                      ? tr("The header names no algorithm (\"alg\", RFC 7515 §4.1.1), so nothing tells how the "
                           "signature was made: it cannot be checked.")
                      : tr("\"%1\" is not a JWS algorithm this inspector knows (RFC 7518 §3.1 lists them), so its "
                           "signature cannot be walked through.")
                            .arg(algName));
    } else {
        collectCandidates();
        const Verdict& verdict = m_document->verdict();
        if (m_candidates.empty()) {
            showState(State::NoKey,
                      alg->scheme == SignatureScheme::Hmac
                          ? tr("To see each step of the check, paste or pick a key in the Verify panel: %1 needs the "
                               "shared secret that signed it.")
                                .arg(algName)
                          : tr("To see each step of the check, paste or pick a key in the Verify panel: %1 needs the "
                               "signer's public key (PEM, JWK or JWKS).")
                                .arg(algName));
        } else {
            m_state = State::Walk;
            int chosen = 0;
            for (size_t i = 0; i < m_candidates.size(); ++i) {
                if (m_chosenKey && keyIdentity(m_candidates[i]) == m_chosenKey)
                    chosen = int(i);
            }
            {
                const QSignalBlocker blocker(m_keyCombo);
                m_keyCombo->clear();
                for (const Key& key : m_candidates) {
                    QString label = key.description();
                    if (!key.metadata.kid.isEmpty())
                        label += tr(" · kid %1").arg(key.metadata.kid);
                    if (!key.metadata.source.isEmpty())
                        label += tr(" · %1").arg(key.metadata.source);
                    if (m_verdictKey && keyIdentity(key) == m_verdictKey)
                        label += verdict.signatureVerified() ? tr(" · verified") : tr(" · the verdict's key");
                    m_keyCombo->addItem(label);
                }
                m_keyCombo->setCurrentIndex(chosen);
            }
            m_keyRow->show();
            const Key& key = m_candidates[size_t(chosen)];
            const auto& detached = m_document->verifyOptions().detachedPayload;
            m_walk = token.payloadDetached && detached ? walkThroughSignature(
                         *alg, key, token.signingInput(0, *detached), token.signatures.front().signature.decoded.bytes)
                                                       : walkThroughSignature(token, key);
            const bool verdictsKey = m_verdictKey && keyIdentity(key) == m_verdictKey;
            QString text;
            if (m_walk.verified) {
                text = tr("✓ The signature verifies with %1: only the holder of this key could have made it, over "
                          "exactly this header and payload. Each step of the check follows.")
                           .arg(key.description());
            } else if (m_walk.failedStep >= 0 && size_t(m_walk.failedStep) < m_walk.steps.size()) {
                text = tr("✗ The check fails at step %1, “%2”: %3.")
                           .arg(m_walk.failedStep + 1)
                           .arg(m_walk.steps[size_t(m_walk.failedStep)].title, m_walk.failureReason);
            } else {
                text = tr("✗ The signature does not verify with %1.").arg(key.description());
            }
            // The verify panel's verdict beside it, so the two never seem to disagree: a good signature on an
            // expired token is still invalid; a key the verdict did not rest on is only an experiment.
            if (!verdictsKey)
                text = tr("With a key the verdict does not rest on: %1 The verdict: %2").arg(text, verdict.headline);
            else if (!verdict.isValid())
                text = tr("%1 The verdict: %2").arg(text, verdict.headline);
            // Coloured as the verify panel colours the verdict; a key the verdict did not use is neutral.
            setSummary(text, verdictsKey ? verdictRole(verdict.outcome) : Palette::Role::Info);
        }
    }

    for (size_t i = 0; i < m_walk.steps.size(); ++i) {
        QFrame* card = makeStepCard(int(i), m_walk.steps[i]);
        m_stepsLayout->insertWidget(m_stepsLayout->count() - 1, card);
        card->show(); // now, not on the next turn of the event loop: the view is whole once refresh() returns
        m_cards.push_back(card);
    }
    // No steps (no token, text that is no token, no key, an alg it cannot walk): the summary's line alone, as on the
    // other tabs, not above an empty steps area.
    const bool noSteps = m_cards.empty();
    m_scroll->setVisible(!noSteps);
    if (auto* box = qobject_cast<QBoxLayout*>(layout()))
        box->setStretch(box->count() - 1, noSteps ? 1 : 0);
    m_scroll->verticalScrollBar()->setValue(0);
    // The failed step is brought into view, again each time the cards settle (their text boxes take their height
    // only once they know their width), until the user scrolls.
    m_pendingScrollStep = m_state == State::Walk ? m_walk.failedStep : -1;
    scrollToStep(m_pendingScrollStep);
    emit refreshed();
}

void SignatureWalkthroughView::showStep(int index)
{
    m_pendingScrollStep = index;
    scrollToStep(index);
}

int SignatureWalkthroughView::stepIndex(const QString& id) const
{
    for (size_t i = 0; i < m_walk.steps.size(); ++i) {
        if (m_walk.steps[i].id == id)
            return int(i);
    }
    return -1;
}

void SignatureWalkthroughView::scrollToStep(int index)
{
    if (index < 0 || size_t(index) >= m_cards.size())
        return;
    m_stepsHost->layout()->activate();
    m_scroll->verticalScrollBar()->setValue(m_cards[size_t(index)]->y() - m_stepsLayout->spacing());
}

void SignatureWalkthroughView::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    // The marks' colours are picked for the palette: a theme switch redraws the steps with the new ones.
    if (event->type() == QEvent::PaletteChange)
        scheduleRefresh();
}

bool SignatureWalkthroughView::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_stepsHost && m_pendingScrollStep >= 0
        && (event->type() == QEvent::Resize || event->type() == QEvent::LayoutRequest))
        QTimer::singleShot(0, this, [this] { scrollToStep(m_pendingScrollStep); });
    return QWidget::eventFilter(watched, event);
}

WalkthroughStepCard* SignatureWalkthroughView::makeStepCard(int index, const WalkStep& step)
{
    auto* card = new WalkthroughStepCard(QStringLiteral("walkStep"), index, step,
                                         tr("✗ The check fails here: %1.").arg(step.failure), m_stepsHost);

    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    if (!step.valueText.isEmpty()) {
        auto* value = new FittedText(8, card);
        value->setObjectName(QStringLiteral("walkStepValue"));
        value->setAccessibleName(tr("Value of step %1: %2").arg(index + 1).arg(step.title));
        value->setFont(mono);
        value->setPlainText(cut(step.valueText));
        auto* copy = new QPushButton(tr("Copy"), card);
        copy->setObjectName(QStringLiteral("walkStepCopy"));
        copy->setAccessibleName(tr("Copy the value of step %1").arg(index + 1));
        copy->setToolTip(tr("Copy this value to the clipboard"));
        const QString fullText = step.valueText;
        connect(copy, &QPushButton::clicked, copy, [copy, fullText] {
            QGuiApplication::clipboard()->setText(fullText);
            copy->setText(tr("Copied ✓"));
            QTimer::singleShot(2000, copy, [copy] { copy->setText(tr("Copy")); });
        });
        auto* valueRow = new QHBoxLayout;
        auto* valueLabel = new QLabel(tr("Value:"), card);
        valueLabel->setBuddy(value);
        auto* side = new QVBoxLayout;
        side->addWidget(valueLabel);
        side->addWidget(copy);
        side->addStretch(1);
        valueRow->addLayout(side);
        valueRow->addWidget(value, 1);
        card->addContent(valueRow);
    }

    if (!step.fields.empty()) {
        auto* fields = new FittedText(16, card);
        fields->setObjectName(QStringLiteral("walkStepFields"));
        fields->setAccessibleName(tr("Parts of step %1").arg(index + 1));
        fields->setFrameShape(QFrame::NoFrame);
        fields->viewport()->setAutoFillBackground(false);
        fields->setHtml(fieldsHtml(step.fields, mono.family()));
        card->addContent(fields);
    }
    return card;
}

} // namespace jwti
