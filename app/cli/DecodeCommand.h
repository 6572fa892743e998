#pragma once

#include "core/jose/Result.h"

#include <QIODevice>
#include <QStringList>
#include <QTextStream>

namespace jwti {

// jwt-inspector decode [--json] [TOKEN|-]: shows a token without checking it (paste noise removed and reported).
QString decodeHelp();
int runDecodeCommand(const QStringList& args, QIODevice& in, QTextStream& out, QTextStream& err);

// The decode --json object of text, terminal-safe (decrypt --json shows a nested token's decode with it).
QString decodeJsonText(const QString& text, ErrorCode* firstError = nullptr);

} // namespace jwti
