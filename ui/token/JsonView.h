#pragma once

#include "core/jose/Json.h"

#include <QTextEdit>
#include <QWidget>
#include <vector>

class QLabel;
class QPlainTextEdit;

namespace jwti {

class JsonHighlighter;

// A decoded header or payload: pretty-printed in the token's key order with numbers as written, coloured from
// the model's highlight spans; or, when the bytes are not JSON, the text (or hex) with a note saying why.
class JsonView : public QWidget
{
    Q_OBJECT

public:
    // name: the objectName ("headerView", "payloadView"); the text area is name + "Text", the note name + "Note".
    JsonView(const QString& name, const QString& accessibleName, QWidget* parent = nullptr);

    // Shows a parsed JSON document; source is the decoded bytes it was parsed from (for errors and duplicates).
    // pretty: the document already pretty-printed (TokenDocument does it off the UI thread for large tokens);
    // when null, the view pretty-prints it itself.
    void showDocument(const JsonDocument& document, QByteArrayView source, const PrettyJson* pretty = nullptr);
    // Shows bytes that are not JSON (or not meant to be): as UTF-8 text when they are, else as hex.
    void showBytes(const QByteArray& bytes, const QString& note);
    void showMessage(const QString& note);
    void clear();

    // The whole text (what Copy copies); the view may show only its start.
    QString text() const;
    // Text longer than this is shown only up to here: Qt lays out each paragraph whole, and a megabyte-long
    // line would stall the window for seconds.
    static constexpr qsizetype kMaxShownChars = 64 * 1024;
    QString note() const;
    // The pretty-printed text is what Copy puts on the clipboard.
    QString copyText() const { return text(); }

    // What the text area holds: pretty JSON (TokenDocument's pretty text, spans included), the bytes as UTF-8
    // text, the bytes as hex ("66 6f 6f": byte i at 3 i), or a message (nothing traceable).
    enum class Content { Message, Json, Text, Hex };
    Content content() const { return m_content; }
    // How many characters of text() the text area shows (text longer than kMaxShownChars is cut).
    qsizetype shownLength() const;

    // Lights what the user points at elsewhere (a character of the encoded token), in UTF-16 offsets into the
    // text: member with a tint, exact (the bytes the character carries) with a stronger fill and an overline,
    // so the two differ by more than colour. Scrolls the exact bytes (or the member) into view without moving
    // the cursor. Cleared whenever the view shows something new.
    void setTraceHighlight(OffsetRange member, std::vector<OffsetRange> exact);
    void clearTraceHighlight() { setTraceHighlight({}, {}); }
    OffsetRange tracedMember() const { return m_tracedMember; }
    const std::vector<OffsetRange>& tracedExact() const { return m_tracedExact; }

    // The text offset of the character under a point of the text area's viewport, or -1.
    qsizetype positionAt(const QPoint& viewportPoint) const;

signals:
    // The text cursor moved (a click, the keyboard) to this offset; not emitted when new content is shown.
    void cursorMoved(qsizetype position);
    // The mouse rests over another character (its offset), or left the text (-1).
    void hoveredPositionChanged(qsizetype position);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void setNote(const QString& note, bool error);
    // Shows text (capped at kMaxShownChars) and returns the note to add when it was cut.
    QString setShownText(const QString& text);
    void applySelections();
    void setErrorSelections(QList<QTextEdit::ExtraSelection> selections);

    QLabel* m_note;
    QPlainTextEdit* m_text;
    JsonHighlighter* m_highlighter;
    QString m_fullText;
    Content m_content = Content::Message;
    bool m_settingText = false;
    qsizetype m_hovered = -1;
    QList<QTextEdit::ExtraSelection> m_errorSelections; // where invalid JSON went wrong
    OffsetRange m_tracedMember;
    std::vector<OffsetRange> m_tracedExact;
};

} // namespace jwti
