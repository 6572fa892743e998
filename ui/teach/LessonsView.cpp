#include "teach/LessonsView.h"

#include "core/model/TokenDocument.h"

#include <QApplication>
#include <QClipboard>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace jwti {

namespace {

// The key the document verified the token with, when one did.
std::optional<Key> verifiedKey(const TokenDocument& document)
{
    const auto& result = document.verifyResult();
    if (!result || !result->valid)
        return std::nullopt;
    for (const SignatureCheck& check : result->signatures) {
        if (check.valid && check.key)
            return check.key;
    }
    return std::nullopt;
}

QString paragraphsHtml(const QString& text)
{
    QString html;
    for (const QString& paragraph : text.split(QStringLiteral("\n\n"), Qt::SkipEmptyParts))
        html += QStringLiteral("<p>%1</p>").arg(paragraph.toHtmlEscaped());
    return html;
}

} // namespace

LessonsView::LessonsView(TokenDocument* document, QWidget* parent)
    : QWidget(parent)
    , m_document(document)
    , m_summary(new QLabel(this))
    // Alt+R is the tour's Restart, which is open beside this view on the tour's Lessons step.
    , m_copyRedacted(new QPushButton(tr("Copy redacted JS&ON"), this))
    , m_copyNote(new QLabel(this))
    , m_body(new QTextBrowser(this))
{
    setObjectName(QStringLiteral("lessonsView"));
    m_summary->setObjectName(QStringLiteral("lessonsSummary"));
    m_summary->setWordWrap(true);
    // Alone (text that is no token), the message stays at the top where the other tabs put theirs.
    m_summary->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_copyRedacted->setObjectName(QStringLiteral("copyRedactedJson"));
    m_copyRedacted->setToolTip(
        tr("Copies the decoded header and payload with every value replaced and no signature, to share the token's "
           "shape without what it says"));
    m_copyNote->setObjectName(QStringLiteral("copyRedactedNote"));
    m_body->setObjectName(QStringLiteral("lessonsText"));
    m_body->setAccessibleName(tr("Lessons from this token"));
    m_body->setOpenLinks(false);
    m_body->setFrameShape(QFrame::NoFrame);

    auto* top = new QHBoxLayout;
    top->addWidget(m_summary, 1);
    top->addWidget(m_copyNote);
    top->addWidget(m_copyRedacted);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_body, 1);

    connect(m_copyRedacted, &QPushButton::clicked, this, [this] { copyRedacted(); });
    connect(m_document, &TokenDocument::tokenChanged, this, &LessonsView::refresh);
    connect(m_document, &TokenDocument::verificationChanged, this, &LessonsView::refresh);
    refresh();
}

void LessonsView::refresh()
{
    // A sentence or a PEM read as a token would give lessons about a token nobody has: its size, its lifetime.
    m_lessons = m_document->isNotAToken()
        ? std::vector<Lesson>()
        : lessonsFor(m_document->token(), verifiedKey(*m_document), m_document->now());
    m_copyNote->clear();
    render();
    emit refreshed();
}

void LessonsView::render()
{
    const bool any = !m_lessons.empty();
    const bool notAToken = m_document->isNotAToken();
    m_copyRedacted->setEnabled(any && !redactedJson(m_document->token()).isEmpty());
    m_copyRedacted->setVisible(!notAToken);
    m_body->setVisible(!notAToken);
    if (notAToken) {
        m_summary->setText(tr("This is not a JWT, so it has no lessons to teach."));
        m_body->clear();
        return;
    }
    if (!any) {
        m_summary->setText(tr("Open or paste a token to see what it teaches: who can read it, how long it lives, "
                              "where to keep it and who could have signed it."));
        m_body->clear();
        return;
    }
    m_summary->setText(tr("What this token teaches about how a JWT behaves once it is issued."));
    QString html;
    for (const Lesson& lesson : m_lessons) {
        html += QStringLiteral("<h3>%1</h3>").arg(lesson.title.toHtmlEscaped());
        html += paragraphsHtml(lesson.message);
        if (!lesson.points.isEmpty()) {
            html += QStringLiteral("<ul>");
            for (const QString& point : lesson.points)
                html += QStringLiteral("<li>%1</li>").arg(point.toHtmlEscaped());
            html += QStringLiteral("</ul>");
        }
        html += QStringLiteral("<p><i>%1</i></p>").arg(tr("Source: %1").arg(lesson.reference).toHtmlEscaped());
    }
    m_body->setHtml(html);
}

QString LessonsView::text() const
{
    return m_summary->text() + QLatin1Char('\n') + m_body->toPlainText();
}

bool LessonsView::copyRedacted()
{
    // The redacted copy holds no value of the token and no signature, so it may go to the clipboard like any text.
    const QByteArray json = redactedJson(m_document->token());
    if (json.isEmpty())
        return false;
    QApplication::clipboard()->setText(QString::fromUtf8(json));
    m_copyNote->setText(tr("Copied: every value replaced, no signature."));
    return true;
}

void LessonsView::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && !m_lessons.empty())
        render();
}

} // namespace jwti
