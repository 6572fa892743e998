#pragma once

#include "core/jose/TokenTrace.h"

#include <QObject>
#include <QPointer>
#include <optional>
#include <vector>

namespace jwti {

class JsonView;
class TokenDocument;
class TokenEditor;

// Links the encoded token to its decoded header and payload, both ways, through the model's trace
// (jose/TokenTrace.h): pointing at a member in a JSON view lights the characters that carry its bytes in the
// editor; pointing at a character in the editor lights the member and the exact bytes it carries in the view.
// Pointing is the text cursor (a click, the keyboard) or the mouse resting on a character; when the mouse leaves,
// the trace of the cursor comes back. It reads nothing itself: every offset comes from the model.
class TraceLinker : public QObject
{
    Q_OBJECT

public:
    TraceLinker(TokenDocument* document, TokenEditor* editor, JsonView* headerView, JsonView* payloadView,
                QObject* parent = nullptr);

    // What pointing at one character of the editor (an input offset) lights.
    struct EditorTrace
    {
        QPointer<JsonView> view; // the view that shows the character's segment; null when none shows it
        OffsetRange member; // text offsets in that view: the member(s) the character's bytes belong to
        std::vector<OffsetRange> exact; // text offsets in that view: the bytes the character carries
        QString path; // the member lit ("payload.name"), the segment's root, or empty
        QString description; // "payload.name, byte 14 of the payload, character 20 carries bits of bytes 14–15"
    };
    // nullopt for a character that carries nothing traceable (a '.', paste noise, a token still being decoded).
    std::optional<EditorTrace> traceForEditorOffset(qsizetype inputOffset) const;

    // What pointing at one character of a view (a text offset) lights in the editor.
    struct ViewTrace
    {
        MemberTrace member; // from the model: the characters (Token::text) that carry the member or byte
        OffsetRange viewRange; // text offsets in the view: the member (or byte) pointed at
        QString description;
    };
    std::optional<ViewTrace> traceForViewPosition(const JsonView* view, qsizetype position) const;

    // Lights what the editor character at inputOffset encodes, as if the user had put the cursor there.
    void traceEditorOffset(qsizetype inputOffset);
    // Lights in the editor the characters that carry what a view shows at a text offset.
    void traceViewPosition(JsonView* view, qsizetype position);
    void clear();

    // The trace now shown, in words (for the status bar); empty when nothing is lit.
    QString description() const { return m_description; }
    // The member now lit ("payload.address.city", "payload.roles[1]"), or empty.
    QString tracedPath() const { return m_path; }

signals:
    void descriptionChanged(const QString& description);

private:
    enum class Source { None, Editor, View };

    void onTokenChanged();
    void onEditorCursorMoved();
    void onEditorHovered(qsizetype inputOffset);
    void onViewCursorMoved(JsonView* view, qsizetype position);
    void onViewHovered(JsonView* view, qsizetype position);
    // Traces again what the cursor points at (the last place the user clicked or moved to).
    void restoreAnchor();
    void applyEditorTrace(const std::optional<EditorTrace>& trace);
    void applyViewTrace(JsonView* view, const std::optional<ViewTrace>& trace);
    void setDescription(const QString& description, const QString& path);

    // The editor's cursor as a character: the one after the cursor, or before it at the end of a segment.
    qsizetype editorCursorCharacter() const;
    bool tokenIsCurrent() const;
    int segmentShownBy(const JsonView* view) const;
    JsonView* viewShowing(int segment) const;
    const std::vector<MemberTrace>& members() const;

    TokenDocument* m_document;
    TokenEditor* m_editor;
    JsonView* m_headerView;
    JsonView* m_payloadView;

    Source m_anchor = Source::None;
    QPointer<JsonView> m_anchorView;
    qsizetype m_anchorPosition = -1;

    QString m_description;
    QString m_path;
    // Every member of the current token, traced once on first use (a large payload has many).
    mutable std::optional<std::vector<MemberTrace>> m_members;
};

} // namespace jwti
