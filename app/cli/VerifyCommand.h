#pragma once

#include <QIODevice>
#include <QStringList>
#include <QTextStream>

namespace jwti {

// jwt-inspector verify KEYSPEC [--alg ALG] [--now UNIX] [--leeway S] [--aud A]… [--iss I] [--payload-file F]
//                      [--kid KID] [--batch | TOKEN | -]
QString verifyHelp();
int runVerifyCommand(const QStringList& args, QIODevice& in, QTextStream& out, QTextStream& err);

// jwt-inspector verify-signature --alg ALG KEYSPEC (--input-hex HEX | --input-file F) (--sig-hex HEX | --sig B64URL)
QString verifySignatureHelp();
int runVerifySignatureCommand(const QStringList& args, QIODevice& in, QTextStream& out, QTextStream& err);

} // namespace jwti
