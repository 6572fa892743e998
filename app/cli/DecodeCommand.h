#pragma once

#include "jose/Result.h"

#include <QIODevice>
#include <QStringList>
#include <QTextStream>

namespace jwti {

// jwt-inspector decode [--json] [TOKEN|-]: shows a token without checking it (paste noise removed and reported).
QString decodeHelp();
int runDecodeCommand(const QStringList& args, QIODevice& in, QTextStream& out, QTextStream& err);

// The decode --json object of text, terminal-safe (decrypt --json shows a nested token's decode with it).
QString decodeJsonText(const QString& text, ErrorCode* firstError = nullptr);

// JSON text from a token made safe for a terminal: C1 controls, DEL and bidirectional controls become \u escapes.
QString terminalSafeJson(const QString& json);

} // namespace jwti
