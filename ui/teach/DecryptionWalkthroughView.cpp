#include "teach/DecryptionWalkthroughView.h"

#include "core/jose/Jwe.h"
#include "core/model/TokenDocument.h"
#include "decrypt/DecryptPanel.h"
#include "shell/Palette.h"
#include "teach/WalkthroughStepCard.h"

#include <QApplication>
#include <QCheckBox>
#include <QFontDatabase>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QScrollArea>
#include <QVBoxLayout>

namespace jwti {

namespace {

constexpr qsizetype kMaxShownChars = 32 * 1024;

QString cut(const QString& text)
{
    if (text.size() <= kMaxShownChars)
        return text;
    return text.left(kMaxShownChars) + QLatin1Char(' ')
        + DecryptionWalkthroughView::tr("… (the first %1 of %2 characters are shown)")
              .arg(kMaxShownChars)
              .arg(text.size());
}

QString hiddenText()
{
    return DecryptionWalkthroughView::tr("•••••••• secret: tick \"Display secret values\" to see it");
}

// The value as it is shown now: a secret step's value only when the user asked for it.
QString shownValueOf(const WalkStep& step, bool showSecrets)
{
    if (step.secret && !showSecrets)
        return step.valueText.isEmpty() && step.value.isEmpty() ? QString() : hiddenText();
    return cut(step.valueText);
}

QString shownFields(const WalkStep& step, bool showSecrets)
{
    QStringList lines;
    for (const WalkField& field : step.fields) {
        QString line
            = field.label + QStringLiteral(": ") + (step.secret && !showSecrets ? hiddenText() : cut(field.valueText));
        if (field.matches)
            line += *field.matches ? DecryptionWalkthroughView::tr("  ✓ matches")
                                   : DecryptionWalkthroughView::tr("  ✗ does not match");
        if (!field.note.isEmpty())
            line += QStringLiteral("  (%1)").arg(field.note);
        lines << line;
    }
    return lines.join(QLatin1Char('\n'));
}

// A read-only box as tall as its text, up to maxLines.
QPlainTextEdit* valueBox(const QString& text, int maxLines, QWidget* parent)
{
    auto* box = new QPlainTextEdit(parent);
    box->setReadOnly(true);
    box->setTabChangesFocus(true);
    box->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    box->setPlainText(text);
    box->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    box->setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    const int lines
        = std::min<int>(maxLines, std::max<int>(1, int(text.size() / 60) + int(text.count(QLatin1Char('\n'))) + 1));
    box->setFixedHeight(box->fontMetrics().lineSpacing() * lines + 2 * box->frameWidth() + 8);
    return box;
}

} // namespace

DecryptionWalkthroughView::DecryptionWalkthroughView(TokenDocument* document, DecryptPanel* panel, QWidget* parent)
    : QWidget(parent)
    , m_document(document)
    , m_panel(panel)
    , m_summary(new QLabel(this))
    , m_showSecrets(new QCheckBox(tr("Dis&play secret values"), this))
    , m_scroll(new QScrollArea(this))
    , m_stepsHost(new QWidget(this))
    , m_stepsLayout(new QVBoxLayout(m_stepsHost))
{
    setObjectName(QStringLiteral("decryptionWalkthroughView"));
    m_summary->setObjectName(QStringLiteral("decryptWalkSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::PlainText);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setMargin(6);
    m_summary->setAutoFillBackground(true);
    m_showSecrets->setObjectName(QStringLiteral("decryptWalkShowSecrets"));
    m_showSecrets->setAccessibleName(tr("Display secret values: the CEK, the shared secret and the derived keys"));
    m_showSecrets->setToolTip(tr("The CEK, the ECDH shared secret and the keys derived from them are hidden until "
                                 "you ask; they are never copied anywhere."));
    m_scroll->setObjectName(QStringLiteral("decryptWalkScroll"));
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setWidget(m_stepsHost);
    m_stepsLayout->addStretch(1);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(m_showSecrets, 0, Qt::AlignLeft);
    layout->addWidget(m_scroll, 1);

    connect(m_showSecrets, &QCheckBox::toggled, this, [this] { rebuildCards(); });
    connect(m_panel, &DecryptPanel::verdictChanged, this, [this] {
        m_stale = true;
        if (isVisible())
            refresh();
    });
    connect(m_document, &TokenDocument::tokenChanged, this, [this] {
        // A secret shown for one token is hidden again for the next.
        m_showSecrets->setChecked(false);
        m_stale = true;
    });
}

bool DecryptionWalkthroughView::secretsShown() const
{
    return m_showSecrets->isChecked();
}

void DecryptionWalkthroughView::setSecretsShown(bool shown)
{
    m_showSecrets->setChecked(shown);
}

QString DecryptionWalkthroughView::summaryText() const
{
    return m_summary->text();
}

QString DecryptionWalkthroughView::shownValue(const QString& stepId) const
{
    for (const WalkStep& step : m_walk.steps) {
        if (step.id == stepId)
            return shownValueOf(step, secretsShown());
    }
    return {};
}

void DecryptionWalkthroughView::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (m_stale)
        refresh();
}

void DecryptionWalkthroughView::refresh()
{
    m_stale = false;
    m_walk = DecryptionWalkthrough();
    const Token& token = m_document->token();
    Palette::Role role = Palette::Role::Info;
    QString summary;
    if (token.kind != TokenKind::Jwe) {
        m_state = State::NotJwe;
        summary = tr("This token is not encrypted: \"How it's decrypted\" shows the steps for a JWE.");
    } else {
        const QByteArray text = token.segments.size() == 5 ? token.text : m_document->text().toUtf8();
        auto jwe = parseJwe(text);
        const DecryptionVerdict& verdict = m_panel->verdict();
        // The key the verdict rests on, else the first key given: the walk shows what that key does.
        const Key* key = verdict.key ? &*verdict.key : (m_panel->keys().empty() ? nullptr : &m_panel->keys().front());
        if (!jwe) {
            m_state = State::Malformed;
            role = Palette::Role::Error;
            summary = tr("The JWE cannot be read: %1").arg(jwe.message());
        } else if (!key) {
            m_state = State::NoKey;
            role = Palette::Role::Warning;
            summary = tr("Give a key in the Decrypt panel to see each step of decrypting this %1 + %2 token.")
                          .arg(jwe->headerString(0, u"alg"), jwe->headerString(0, u"enc"));
        } else {
            m_state = State::Walk;
            m_walk = walkThroughDecryption(*jwe, *key, std::max(0, verdict.recipient));
            if (m_walk.decrypted) {
                role = Palette::Role::Valid;
                summary = tr("Decrypted with %1 + %2: every step below, from the AAD to the plaintext.")
                              .arg(m_walk.alg, m_walk.enc);
            } else {
                role = Palette::Role::Error;
                summary = m_walk.failedStep >= 0
                    ? tr("Not decrypted: step %1 fails: %2").arg(m_walk.failedStep + 1).arg(m_walk.failureReason)
                    : tr("Not decrypted: %1").arg(m_walk.failureReason);
            }
        }
    }
    m_summary->setText(summary);
    m_summary->setAccessibleName(summary);
    Palette::colourWidget(m_summary, role);
    const bool anySecret
        = std::any_of(m_walk.steps.begin(), m_walk.steps.end(), [](const WalkStep& step) { return step.secret; });
    m_showSecrets->setVisible(anySecret);
    rebuildCards();
    emit refreshed();
}

void DecryptionWalkthroughView::rebuildCards()
{
    for (QFrame* card : m_cards)
        delete card;
    m_cards.clear();
    for (int i = 0; i < int(m_walk.steps.size()); ++i) {
        QFrame* card = makeStepCard(i, m_walk.steps[std::size_t(i)]);
        m_stepsLayout->insertWidget(m_stepsLayout->count() - 1, card);
        m_cards.push_back(card);
    }
}

WalkthroughStepCard* DecryptionWalkthroughView::makeStepCard(int index, const WalkStep& step)
{
    auto* card = new WalkthroughStepCard(QStringLiteral("decryptStep"), index, step,
                                         tr("✗ Decryption fails here: %1").arg(step.failure), m_stepsHost);
    const QString value = shownValueOf(step, secretsShown());
    if (!value.isEmpty()) {
        auto* box = valueBox(value, 6, card);
        box->setObjectName(QStringLiteral("decryptStepValue"));
        box->setAccessibleName(tr("Value of step %1: %2").arg(index + 1).arg(step.title));
        card->addContent(box);
    }
    if (!step.fields.empty()) {
        const QString fields = shownFields(step, secretsShown());
        auto* box = valueBox(fields, 10, card);
        box->setObjectName(QStringLiteral("decryptStepFields"));
        box->setAccessibleName(tr("Parts of step %1").arg(index + 1));
        card->addContent(box);
    }
    return card;
}

} // namespace jwti
