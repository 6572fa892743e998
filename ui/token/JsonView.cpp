#include "token/JsonView.h"

#include "shell/Palette.h"
#include "token/JsonHighlighter.h"

#include <QApplication>
#include <QFontDatabase>
#include <QLabel>
#include <QMouseEvent>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QStringDecoder>
#include <QTextBlock>
#include <QVBoxLayout>

namespace jwti {

namespace {

// Hex dumps of huge payloads are cut here: nobody reads a megabyte of hex, and laying it out would stall.
constexpr qsizetype kMaxHexBytes = 64 * 1024;

} // namespace

JsonView::JsonView(const QString& name, const QString& accessibleName, QWidget* parent)
    : QWidget(parent)
    , m_note(new QLabel(this))
    , m_text(new QPlainTextEdit(this))
    , m_highlighter(new JsonHighlighter(m_text->document()))
{
    setObjectName(name);
    m_note->setObjectName(name + QStringLiteral("Note"));
    m_note->setWordWrap(true);
    m_note->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_note->setAccessibleName(tr("%1 note").arg(accessibleName));
    // Alone (a message, the text box hidden), the note stays at the top instead of floating mid-pane.
    m_note->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_note->hide();
    m_text->setObjectName(name + QStringLiteral("Text"));
    m_text->setAccessibleName(accessibleName);
    m_text->setReadOnly(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    m_text->setTabChangesFocus(true);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_note);
    layout->addWidget(m_text, 1);

    // Pointing at a member (cursor or mouse) lights the characters that encode it (TraceLinker).
    m_text->viewport()->setMouseTracking(true);
    m_text->viewport()->installEventFilter(this);
    connect(m_text, &QPlainTextEdit::cursorPositionChanged, this, [this] {
        if (!m_settingText)
            emit cursorMoved(m_text->textCursor().position());
    });
}

void JsonView::setNote(const QString& note, bool error)
{
    m_note->setText(note);
    m_note->setVisible(!note.isEmpty());
    QPalette palette = m_note->palette();
    palette.setColor(QPalette::WindowText,
                     error ? Palette::text(Palette::Role::Error) : QApplication::palette().color(QPalette::WindowText));
    m_note->setPalette(palette);
}

void JsonView::showDocument(const JsonDocument& document, QByteArrayView source, const PrettyJson* prettyPrinted)
{
    if (document.ok()) {
        // A copy shares the text; the spans are copied because the highlighter keeps its own.
        PrettyJson pretty = prettyPrinted ? *prettyPrinted : prettyPrint(*document.root);
        std::vector<JsonSpan> marked;
        QStringList notes;
        for (const JsonDuplicate& duplicate : document.duplicates) {
            marked.push_back({duplicate.first.begin, duplicate.first.end});
            marked.push_back({duplicate.second.begin, duplicate.second.end});
            notes << tr("Duplicate member \"%1\": the last one counts here, but other libraries may read the first "
                        "(RFC 7515 §5.2, RFC 7519 §4).")
                         .arg(duplicate.path);
        }
        // Mark the names of duplicates: the model gives the name spans in source bytes.
        std::vector<JsonSpan> markedNames;
        for (const HighlightSpan& span : pretty.spans) {
            if (span.kind != HighlightSpan::Kind::Key)
                continue;
            for (const JsonSpan& duplicate : marked) {
                if (span.source.begin >= duplicate.begin && span.source.end <= duplicate.end)
                    markedNames.push_back(span.source);
            }
        }
        m_highlighter->setSpans(std::move(pretty.spans), std::move(markedNames));
        m_content = Content::Json;
        setErrorSelections({});
        const QString cut = setShownText(pretty.text);
        if (!cut.isEmpty())
            notes << cut;
        setNote(notes.join(QLatin1Char('\n')), !document.duplicates.empty());
        return;
    }
    // Not valid JSON: show what was read, and where it went wrong, in the text itself.
    m_highlighter->setSpans({});
    m_content = Content::Text;
    setErrorSelections({});
    const QString text = QString::fromUtf8(source);
    const QString cut = setShownText(text);
    if (document.error) {
        const qsizetype byteOffset = std::clamp<qsizetype>(document.error->offset, 0, source.size());
        const qsizetype charOffset = QString::fromUtf8(source.first(byteOffset)).size();
        setNote(tr("Not valid JSON at byte %1: %2").arg(byteOffset).arg(document.error->message)
                    + (cut.isEmpty() ? QString() : QLatin1Char(' ') + cut),
                true);
        QTextEdit::ExtraSelection selection;
        selection.cursor = QTextCursor(m_text->document());
        const qsizetype shownSize = m_text->document()->characterCount() - 1;
        selection.cursor.setPosition(int(std::min<qsizetype>(charOffset, shownSize)));
        selection.cursor.setPosition(int(std::min<qsizetype>(charOffset + 1, shownSize)), QTextCursor::KeepAnchor);
        if (!selection.cursor.hasSelection() && charOffset > 0)
            selection.cursor.setPosition(int(charOffset - 1), QTextCursor::KeepAnchor);
        selection.format.setUnderlineStyle(QTextCharFormat::WaveUnderline);
        selection.format.setUnderlineColor(Palette::text(Palette::Role::Error));
        selection.format.setBackground(Palette::background(Palette::Role::Error));
        setErrorSelections({selection});
    } else {
        setNote(tr("Not valid JSON."), true);
    }
}

void JsonView::showBytes(const QByteArray& bytes, const QString& note)
{
    m_highlighter->setSpans({});
    setErrorSelections({});
    QStringDecoder decoder(QStringDecoder::Utf8);
    const QString text = decoder.decode(bytes);
    if (!decoder.hasError()) {
        m_content = Content::Text;
        const QString cut = setShownText(text);
        setNote(cut.isEmpty() ? note : note + QLatin1Char(' ') + cut, false);
        return;
    }
    m_content = Content::Hex;
    const QByteArray shown = bytes.left(kMaxHexBytes).toHex(' ');
    setShownText(QString::fromLatin1(shown));
    QString fullNote = note.isEmpty() ? tr("Binary data, shown as hex.")
                                      : note + QLatin1Char(' ') + tr("Binary data, shown as hex.");
    if (bytes.size() > kMaxHexBytes)
        fullNote += QLatin1Char(' ') + tr("First %1 of %2 bytes shown.").arg(kMaxHexBytes).arg(bytes.size());
    setNote(fullNote, false);
}

void JsonView::showMessage(const QString& note)
{
    m_highlighter->setSpans({});
    m_content = Content::Message;
    m_tracedMember = {};
    m_tracedExact.clear();
    setErrorSelections({});
    m_settingText = true;
    m_text->clear();
    m_settingText = false;
    // A message has nothing to select or copy under it: an empty box there reads as content that failed to load.
    m_text->hide();
    m_fullText.clear();
    setNote(note, false);
}

void JsonView::clear()
{
    showMessage({});
}

QString JsonView::setShownText(const QString& text)
{
    m_fullText = text;
    const QString shown = text.size() <= kMaxShownChars ? text : text.left(kMaxShownChars);
    // Looking for word boundaries in a very long line costs far more than it helps (a 64 KiB base64 string
    // took seconds): such lines wrap anywhere.
    qsizetype longestLine = 0;
    qsizetype lineStart = 0;
    for (qsizetype i = 0; i <= shown.size(); ++i) {
        if (i == shown.size() || shown.at(i) == QLatin1Char('\n')) {
            longestLine = std::max(longestLine, i - lineStart);
            lineStart = i + 1;
        }
    }
    m_text->setWordWrapMode(longestLine > 1000 ? QTextOption::WrapAnywhere : QTextOption::WrapAtWordBoundaryOrAnywhere);
    m_settingText = true;
    m_tracedMember = {};
    m_tracedExact.clear();
    m_text->setPlainText(shown);
    m_settingText = false;
    m_text->show();
    applySelections();
    if (shown.size() == text.size())
        return {};
    return tr("Showing the first %1 of %2 characters; Copy copies all of it.").arg(kMaxShownChars).arg(text.size());
}

qsizetype JsonView::shownLength() const
{
    return m_text->document()->characterCount() - 1;
}

void JsonView::setErrorSelections(QList<QTextEdit::ExtraSelection> selections)
{
    m_errorSelections = std::move(selections);
    applySelections();
}

void JsonView::setTraceHighlight(OffsetRange member, std::vector<OffsetRange> exact)
{
    m_tracedMember = member;
    m_tracedExact = std::move(exact);
    applySelections();
    const qsizetype shown = shownLength();
    qsizetype first = m_tracedExact.empty() ? member.begin : m_tracedExact.front().begin;
    if ((m_tracedExact.empty() && member.size() <= 0) || first < 0 || first >= shown)
        return;
    QTextCursor cursor(m_text->document());
    cursor.setPosition(int(first));
    const QRect rect = m_text->cursorRect(cursor);
    const int height = m_text->viewport()->height();
    if (rect.top() >= 0 && rect.bottom() <= height)
        return;
    // QPlainTextEdit scrolls by lines: bring the character a third of the way down without moving the cursor.
    const int line = std::max(1, m_text->fontMetrics().lineSpacing());
    QScrollBar* bar = m_text->verticalScrollBar();
    bar->setValue(bar->value() + (rect.top() - height / 3) / line);
}

void JsonView::applySelections()
{
    QList<QTextEdit::ExtraSelection> selections = m_errorSelections;
    const qsizetype shown = shownLength();
    const QColor strong = Palette::background(Palette::Role::Trace);
    const QColor tint = Palette::background(Palette::Role::TraceTint);
    auto add = [&](OffsetRange range, const QTextCharFormat& format) {
        const qsizetype begin = std::clamp<qsizetype>(range.begin, 0, shown);
        const qsizetype end = std::clamp<qsizetype>(range.end, begin, shown);
        if (begin >= end)
            return;
        QTextEdit::ExtraSelection selection;
        selection.cursor = QTextCursor(m_text->document());
        selection.cursor.setPosition(int(begin));
        selection.cursor.setPosition(int(end), QTextCursor::KeepAnchor);
        selection.format = format;
        selections.append(selection);
    };
    QTextCharFormat memberFormat;
    memberFormat.setBackground(tint);
    add(m_tracedMember, memberFormat);
    QTextCharFormat exactFormat;
    exactFormat.setBackground(strong);
    exactFormat.setFontOverline(true);
    exactFormat.setFontUnderline(true);
    for (const OffsetRange& range : m_tracedExact)
        add(range, exactFormat);
    m_text->setExtraSelections(selections);
}

qsizetype JsonView::positionAt(const QPoint& viewportPoint) const
{
    const QTextCursor cursor = m_text->cursorForPosition(viewportPoint);
    const QTextBlock block = cursor.block();
    if (!block.isValid() || block.length() <= 1)
        return -1;
    // cursorForPosition answers the nearest gap; the character under the point is the one after it unless the
    // point is left of the gap.
    qsizetype position = cursor.position();
    if (viewportPoint.x() < m_text->cursorRect(cursor).left() && position > block.position())
        --position;
    if (position >= block.position() + block.length() - 1)
        return -1;
    return position;
}

bool JsonView::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_text->viewport()) {
        qsizetype hovered = m_hovered;
        if (event->type() == QEvent::MouseMove)
            hovered = positionAt(static_cast<QMouseEvent*>(event)->position().toPoint());
        else if (event->type() == QEvent::Leave)
            hovered = -1;
        if (hovered != m_hovered) {
            m_hovered = hovered;
            emit hoveredPositionChanged(hovered);
        }
    }
    return QWidget::eventFilter(watched, event);
}

QString JsonView::text() const
{
    return m_fullText;
}

QString JsonView::note() const
{
    return m_note->text();
}

} // namespace jwti
