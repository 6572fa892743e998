#include "cli/BatchVerifier.h"

#include "core/crypto/Signature.h"

#include <QThread>
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#ifdef Q_OS_LINUX
#include <sched.h>
#endif

namespace jwti {

// The lines being worked on: their bytes, one after the other, and a result for each, in input order.
struct BatchVerifier::Window
{
    QByteArray text;
    std::vector<std::pair<qsizetype, qsizetype>> lines; // begin, length in text
    std::vector<QString> results;
    std::vector<char> valid;
    std::atomic<std::size_t> next{0}; // the first line no thread has taken yet

    void clear()
    {
        text.resize(0);
        lines.clear();
    }
    void add(QByteArrayView line)
    {
        lines.emplace_back(text.size(), line.size());
        text.append(line);
    }
    QByteArrayView line(std::size_t index) const
    {
        return QByteArrayView(text).sliced(lines[index].first, lines[index].second);
    }
};

namespace {

// At most this many lines, and about this many bytes of them (a window holds at least one line, however long), are
// held at once, whatever the input's size: the memory bound of the batch.
constexpr std::size_t kWindowLines = 4096;
constexpr qsizetype kWindowBytes = qsizetype(8) << 20;
// Standard input is read in large chunks: asking the device for a line at a time costs a system call or two a token.
constexpr qsizetype kChunk = 1 << 18;
// Threads take this many lines at a time from the window: few enough to share the work evenly, enough that taking
// them costs nothing next to verifying them.
constexpr std::size_t kLinesPerTake = 16;

// The helper threads of a batch. Each owns its prepared verifiers (a VerifierReuseScope on its own thread) for the
// whole batch; the caller's thread works too, so --jobs N runs N - 1 of these.
class Workers
{
public:
    Workers(int count, std::function<void()> work)
        : m_work(std::move(work))
    {
        for (int i = 0; i < count; ++i)
            m_threads.emplace_back([this] { loop(); });
    }
    ~Workers()
    {
        {
            const std::lock_guard lock(m_mutex);
            m_stop = true;
        }
        m_start.notify_all();
        for (std::thread& thread : m_threads)
            thread.join();
    }
    Workers(const Workers&) = delete;
    Workers& operator=(const Workers&) = delete;

    // Runs work on every helper and on the calling thread, and returns when all are done.
    void runAll()
    {
        {
            const std::lock_guard lock(m_mutex);
            m_busy = int(m_threads.size());
            ++m_round;
        }
        m_start.notify_all();
        m_work();
        std::unique_lock lock(m_mutex);
        m_done.wait(lock, [this] { return m_busy == 0; });
    }

private:
    void loop()
    {
        const VerifierReuseScope reuseVerifiers;
        unsigned round = 0;
        for (;;) {
            {
                std::unique_lock lock(m_mutex);
                m_start.wait(lock, [&] { return m_stop || m_round != round; });
                if (m_stop)
                    return;
                round = m_round;
            }
            m_work();
            {
                const std::lock_guard lock(m_mutex);
                --m_busy;
            }
            m_done.notify_one();
        }
    }

    std::function<void()> m_work;
    std::vector<std::thread> m_threads;
    std::mutex m_mutex;
    std::condition_variable m_start;
    std::condition_variable m_done;
    unsigned m_round = 0;
    int m_busy = 0;
    bool m_stop = false;
};

} // namespace

BatchVerifier::BatchVerifier(const std::vector<Key>& keys, const Expectations& expectations, LineFormatter lineResult)
    : m_keys(keys)
    , m_expectations(expectations)
    , m_lineResult(std::move(lineResult))
{
}

int BatchVerifier::defaultJobs()
{
#ifdef Q_OS_LINUX
    // The cores this process may run on (taskset, cgroup cpusets), not every core the machine has.
    cpu_set_t allowed;
    CPU_ZERO(&allowed);
    if (sched_getaffinity(0, sizeof allowed, &allowed) == 0 && CPU_COUNT(&allowed) > 0)
        return CPU_COUNT(&allowed);
#endif
    return std::max(1, QThread::idealThreadCount());
}

void BatchVerifier::verifyRange(Window& window, std::size_t begin, std::size_t end) const
{
    for (std::size_t i = begin; i < end; ++i) {
        const Verdict verdict = computeVerdict(window.line(i).trimmed(), m_keys, m_expectations);
        window.valid[i] = verdict.isValid();
        window.results[i] = m_lineResult(verdict);
    }
}

bool BatchVerifier::run(QIODevice& in, QTextStream& out, int jobs)
{
    // One prepared verifier per (alg, key) and thread for the whole batch: the key checks and OpenSSL set-up run once,
    // not per token; every per-signature check still runs for each token.
    const VerifierReuseScope reuseVerifiers;
    Window window;
    auto takeAndVerify = [this, &window] {
        const std::size_t count = window.lines.size();
        for (;;) {
            const std::size_t begin = window.next.fetch_add(kLinesPerTake);
            if (begin >= count)
                return;
            verifyRange(window, begin, std::min(begin + kLinesPerTake, count));
        }
    };
    std::optional<Workers> workers;
    if (jobs > 1)
        workers.emplace(jobs - 1, takeAndVerify);

    bool allValid = true;
    QByteArray buffer;
    qsizetype consumed = 0;
    bool atEnd = false;
    while (!atEnd || consumed < buffer.size()) {
        // Fill the window with the complete lines at hand; read more only when none is, so that a slow producer's
        // tokens are answered as they come rather than held back for a full window.
        window.clear();
        while (window.lines.size() < kWindowLines && window.text.size() < kWindowBytes) {
            const qsizetype newline = buffer.indexOf('\n', consumed);
            if (newline >= 0) {
                window.add(QByteArrayView(buffer).sliced(consumed, newline - consumed));
                consumed = newline + 1;
                continue;
            }
            if (atEnd) {
                // A last line without its newline is still a token.
                if (consumed < buffer.size())
                    window.add(QByteArrayView(buffer).sliced(consumed));
                consumed = buffer.size();
                break;
            }
            if (!window.lines.empty())
                break;
            buffer.remove(0, consumed);
            consumed = 0;
            const qsizetype kept = buffer.size();
            buffer.resize(kept + kChunk);
            const qint64 got = in.read(buffer.data() + kept, kChunk);
            buffer.resize(kept + std::max<qint64>(got, 0));
            atEnd = got <= 0;
        }
        if (window.lines.empty())
            continue;

        const std::size_t count = window.lines.size();
        window.results.resize(count);
        window.valid.assign(count, 0);
        window.next = 0;
        if (workers)
            workers->runAll();
        else
            verifyRange(window, 0, count);
        for (std::size_t i = 0; i < count; ++i) {
            out << window.results[i] << '\n';
            allValid = allValid && window.valid[i];
        }
        out.flush();
    }
    return allValid;
}

} // namespace jwti
