#pragma once

#include "core/crypto/Key.h"
#include "core/model/Verdict.h"

#include <QIODevice>
#include <QTextStream>
#include <functional>
#include <vector>

namespace jwti {

// verify --batch: one token a line in, one result a line out, in input order, on a number of threads. It streams: at
// most two windows of lines are held (one being verified, the next being read), so a million tokens take no more
// memory than a thousand. Every line's result is what the caller's lineResult makes of computeVerdict, so
// a batch prints exactly what single `verify` decides for each token.
class BatchVerifier
{
public:
    // The line printed for one token, given its verdict; sets nothing shared (it runs on several threads at once).
    using LineFormatter = std::function<QString(const Verdict&)>;

    BatchVerifier(const std::vector<Key>& keys, const Expectations& expectations, LineFormatter lineResult);

    // The number of threads verify uses when --jobs is not given: the cores this process may run on.
    static int defaultJobs();

    // Reads every line of in and writes one result line for each to out. True when every token was valid.
    bool run(QIODevice& in, QTextStream& out, int jobs);

private:
    const std::vector<Key>& m_keys;
    const Expectations& m_expectations;
    LineFormatter m_lineResult;
};

} // namespace jwti
