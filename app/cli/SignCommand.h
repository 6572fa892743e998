#pragma once

#include <QIODevice>
#include <QStringList>
#include <QTextStream>

namespace jwti {

// jwt-inspector sign KEYSPEC --alg ALG [--header JSON] [--kid KID] [--iat] [--exp-in S] [--now UNIX]
//                    (PAYLOAD_JSON | -)
QString signHelp();
int runSignCommand(const QStringList& args, QIODevice& in, QTextStream& out, QTextStream& err);

} // namespace jwti
