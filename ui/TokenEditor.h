#pragma once

#include <QPlainTextEdit>
#include <QTimer>

namespace jwti {

class TokenDocument;

// The encoded token as the user typed, pasted, dropped or opened it. Every edit goes to the document (at once for
// ordinary tokens, debounced for huge ones); every decode colours the segments and marks the errors in place.
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

signals:
    // A local file was dropped on the editor; the window decides how to open it.
    void fileDropped(const QString& path);
    // The cursor moved into another part of the token (for the status bar).
    void cursorPlaceChanged(const QString& description);
    // The editor switched to (or from) showing only the start of a huge token.
    void previewChanged(bool preview, qsizetype tokenLength);

protected:
    bool event(QEvent* event) override;
    bool canInsertFromMimeData(const QMimeData* source) const override;
    void insertFromMimeData(const QMimeData* source) override;

private:
    void onTextEdited();
    void decodeNow();
    void refreshMarks();

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
    std::vector<Mark> m_marks; // input offsets, for tooltips and the status bar
};

} // namespace jwti
