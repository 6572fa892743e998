#include "JsonView.h"

#include "JsonHighlighter.h"
#include "Palette.h"

#include <QApplication>
#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
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
        const QString cut = setShownText(pretty.text);
        if (!cut.isEmpty())
            notes << cut;
        setNote(notes.join(QLatin1Char('\n')), !document.duplicates.empty());
        return;
    }
    // Not valid JSON: show what was read, and where it went wrong, in the text itself.
    m_highlighter->setSpans({});
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
        m_text->setExtraSelections({selection});
    } else {
        setNote(tr("Not valid JSON."), true);
    }
}

void JsonView::showBytes(const QByteArray& bytes, const QString& note)
{
    m_highlighter->setSpans({});
    m_text->setExtraSelections({});
    QStringDecoder decoder(QStringDecoder::Utf8);
    const QString text = decoder.decode(bytes);
    if (!decoder.hasError()) {
        const QString cut = setShownText(text);
        setNote(cut.isEmpty() ? note : note + QLatin1Char(' ') + cut, false);
        return;
    }
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
    m_text->setExtraSelections({});
    m_text->clear();
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
    m_text->setPlainText(shown);
    if (shown.size() == text.size())
        return {};
    return tr("Showing the first %1 of %2 characters; Copy copies all of it.").arg(kMaxShownChars).arg(text.size());
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
