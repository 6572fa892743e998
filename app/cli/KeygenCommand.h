#pragma once

#include <QIODevice>
#include <QStringList>
#include <QTextStream>

namespace jwti {

// jwt-inspector keygen --alg ALG [--bits N] [--out FILE] [--public-out FILE] [--format pem|jwk]
//                      [--passphrase-file F]
QString keygenHelp();
int runKeygenCommand(const QStringList& args, QIODevice& in, QTextStream& out, QTextStream& err);

// jwt-inspector thumbprint KEYFILE [--passphrase-file F]
QString thumbprintHelp();
int runThumbprintCommand(const QStringList& args, QIODevice& in, QTextStream& out, QTextStream& err);

} // namespace jwti
