#pragma once

#include "jose/Json.h"

#include <QWidget>

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

private:
    void setNote(const QString& note, bool error);
    // Shows text (capped at kMaxShownChars) and returns the note to add when it was cut.
    QString setShownText(const QString& text);

    QLabel* m_note;
    QPlainTextEdit* m_text;
    JsonHighlighter* m_highlighter;
    QString m_fullText;
};

} // namespace jwti
