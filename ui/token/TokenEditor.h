#pragma once

#include "core/jose/Base64Url.h"

#include <QPlainTextEdit>
#include <QTimer>
#include <functional>
#include <vector>

namespace jwti {

class TokenDocument;

// The encoded token as the user typed, pasted, dropped or opened it. Every edit goes to the document (at once for
// ordinary tokens, debounced for huge ones); every decode colours the segments and marks the errors in place.
// Paste noise the document removes ("Bearer ", quotes, line breaks) goes from the editor too, as one undoable edit:
// the editor shows the token inspected, and Undo gives back the text as given, which is then inspected as it is.
// Segments differ by colour AND by underline style (solid, dotted, dashed), so colour is never the only signal.
class TokenEditor : public QPlainTextEdit
{
    Q_OBJECT

public:
    explicit TokenEditor(TokenDocument* document, QWidget* parent = nullptr);

    // Replaces the text and decodes it at once (opening a file or a sample is not typing: no debounce).
    void setToken(const QString& text);
    // Decodes what is pending now (a test, or a menu action, wants the current text decoded).
    void flushPendingDecode();

    // Moves the cursor to a character of the input and shows it.
    void showInputOffset(qsizetype offset, qsizetype length = 1);

    // What the character at an input offset belongs to, in words: "header, character 12" (empty when nothing).
    QString describeOffset(qsizetype offset) const;

    // The token as the document sees it: the editor's text, or the whole of a huge token of which the editor
    // shows only the start.
    QString tokenText() const;
    bool isShowingPreview() const { return m_preview; }

    // Inputs at least this long are decoded after a short pause in typing instead of on every keystroke.
    static constexpr qsizetype kDebounceThreshold = 16 * 1024;
    // Qt lays out a paragraph whole: a megabyte on one line costs a second or more per layout. Tokens longer
    // than this are decoded in full but shown (read-only) only up to kPreviewChars.
    static constexpr qsizetype kPreviewThreshold = 64 * 1024;
    static constexpr qsizetype kPreviewChars = 16 * 1024;

    // Characters lit because the user points at what they encode (a JSON member, a byte), in input offsets.
    // owned: characters whose every data bit belongs to it (a solid fill); shared: edge characters that also
    // carry bits of a neighbouring byte (a hatched fill and a box outline, so the difference is not colour alone).
    struct TraceHighlight
    {
        std::vector<OffsetRange> owned;
        std::vector<OffsetRange> shared;
        bool isEmpty() const { return owned.empty() && shared.empty(); }
    };
    // Drawn over the segment colours and error marks, which stay; only the characters the editor shows are lit
    // (a huge token is shown in part). Scrolls the first lit character into view. Cleared by every decode.
    void setTraceHighlight(const TraceHighlight& highlight);
    void clearTraceHighlight() { setTraceHighlight({}); }
    const TraceHighlight& traceHighlight() const { return m_trace; }

    // Adds a line about an input offset to the editor's tooltip (the trace linker explains the character).
    void setTraceDescriber(std::function<QString(qsizetype)> describer) { m_traceDescriber = std::move(describer); }

    // The input offset of the character under a point of the viewport, or -1 when none is.
    qsizetype characterAt(const QPoint& viewportPoint) const;

signals:
    // A local file was dropped on the editor; the window decides how to open it.
    void fileDropped(const QString& path);
    // The cursor moved into another part of the token (for the status bar).
    void cursorPlaceChanged(const QString& description);
    // The editor switched to (or from) showing only the start of a huge token.
    void previewChanged(bool preview, qsizetype tokenLength);
    // The mouse rests over another character (its input offset), or left the text (-1).
    void hoveredOffsetChanged(qsizetype offset);

protected:
    bool event(QEvent* event) override;
    bool viewportEvent(QEvent* event) override;
    void paintEvent(QPaintEvent* event) override;
    bool canInsertFromMimeData(const QMimeData* source) const override;
    void insertFromMimeData(const QMimeData* source) override;

private:
    void onTextEdited();
    void decodeNow();
    void showInspectedText();
    void refreshMarks();
    void applySelections();
    void setHovered(qsizetype offset);

    struct Mark
    {
        qsizetype begin = 0;
        qsizetype end = 0;
        QString label;
        bool error = false;
    };

    TokenDocument* m_document;
    QTimer m_debounce;
    bool m_settingText = false;
    bool m_preview = false;
    QString m_fullText; // the whole token while m_preview
    QString m_keptAsGiven; // the text as given before paste noise was removed: Undo brings it back, and it stays
    std::vector<Mark> m_marks; // input offsets, for tooltips and the status bar
    QList<QTextEdit::ExtraSelection> m_markSelections; // segments, dots and errors
    TraceHighlight m_trace;
    std::function<QString(qsizetype)> m_traceDescriber;
    qsizetype m_hovered = -1;
};

} // namespace jwti
