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

namespace {

// The lines being worked on: their bytes, one after the other, and a result for each, in input order.
struct Window
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

// A window holds at most this many lines, and about this many bytes of them (at least one line, however long); two
// windows are held at once, whatever the input's size: the memory bound of the batch.
constexpr std::size_t kWindowLines = 4096;
constexpr qsizetype kWindowBytes = qsizetype(8) << 20;
// Standard input is read in large chunks: asking the device for a line at a time costs a system call or two a token.
constexpr qsizetype kChunk = 1 << 18;
// Threads take this many lines at a time from the window: few enough to share the work evenly, enough that taking
// them costs nothing next to verifying them.
constexpr std::size_t kLinesPerTake = 16;

// The helper threads of a batch. Each owns its prepared verifiers (a VerifierReuseScope on its own thread) for the
// whole batch; the caller's thread works too, so --jobs N runs N - 1 of these. start() hands them a round of work and
// returns at once, so that the caller can read the next window meanwhile; finish() waits for the round.
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

    void start()
    {
        {
            const std::lock_guard lock(m_mutex);
            m_busy = int(m_threads.size());
            ++m_round;
        }
        m_start.notify_all();
    }
    void finish()
    {
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

// Standard input cut into windows of whole lines. fill() takes the complete lines already read; it reads more only
// when asked to and none is at hand, so a slow producer's tokens are answered as they come rather than held back
// for a full window.
class LineReader
{
public:
    explicit LineReader(QIODevice& in)
        : m_in(in)
    {
    }

    // Fills window with lines; may block on the input only when mayRead. False when it holds none.
    bool fill(Window& window, bool mayRead);

private:
    QIODevice& m_in;
    QByteArray m_buffer;
    qsizetype m_consumed = 0;
    bool m_atEnd = false;
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

bool LineReader::fill(Window& window, bool mayRead)
{
    window.clear();
    while (window.lines.size() < kWindowLines && window.text.size() < kWindowBytes) {
        const qsizetype newline = m_buffer.indexOf('\n', m_consumed);
        if (newline >= 0) {
            window.add(QByteArrayView(m_buffer).sliced(m_consumed, newline - m_consumed));
            m_consumed = newline + 1;
            continue;
        }
        if (m_atEnd) {
            // A last line without its newline is still a token.
            if (m_consumed < m_buffer.size())
                window.add(QByteArrayView(m_buffer).sliced(m_consumed));
            m_consumed = m_buffer.size();
            break;
        }
        if (!window.lines.empty() || !mayRead)
            break;
        m_buffer.remove(0, m_consumed);
        m_consumed = 0;
        const qsizetype kept = m_buffer.size();
        m_buffer.resize(kept + kChunk);
        const qint64 got = m_in.read(m_buffer.data() + kept, kChunk);
        m_buffer.resize(kept + std::max<qint64>(got, 0));
        m_atEnd = got <= 0;
    }
    return !window.lines.empty();
}

bool BatchVerifier::run(QIODevice& in, QTextStream& out, int jobs)
{
    // One prepared verifier per (alg, key) and thread for the whole batch: the key checks and OpenSSL set-up run once,
    // not per token; every per-signature check still runs for each token.
    const VerifierReuseScope reuseVerifiers;
    // Two windows: while the threads verify one, this thread prints the one before it and refills that from the lines
    // already read, then helps. Reading and printing overlap the verifying; only the threads' last lines of a window
    // do not.
    Window windows[2];
    Window* verifying = &windows[0];
    Window* other = &windows[1];
    auto takeAndVerify = [this, &verifying] {
        Window& window = *verifying;
        const std::size_t count = window.lines.size();
        for (;;) {
            const std::size_t begin = window.next.fetch_add(kLinesPerTake);
            if (begin >= count)
                return;
            for (std::size_t i = begin; i < std::min(begin + kLinesPerTake, count); ++i) {
                const Verdict verdict = computeVerdict(window.line(i).trimmed(), m_keys, m_expectations);
                window.valid[i] = verdict.isValid();
                window.results[i] = m_lineResult(verdict);
            }
        }
    };
    std::optional<Workers> workers;
    if (jobs > 1)
        workers.emplace(jobs - 1, takeAndVerify);

    bool allValid = true;
    auto print = [&out, &allValid](const Window& window) {
        for (std::size_t i = 0; i < window.lines.size(); ++i) {
            out << window.results[i] << '\n';
            allValid = allValid && window.valid[i];
        }
        out.flush();
    };
    LineReader reader(in);
    bool haveLines = reader.fill(*verifying, true);
    bool otherUnprinted = false; // *other holds the results of the window before, not printed yet
    while (haveLines) {
        const std::size_t count = verifying->lines.size();
        verifying->results.resize(count);
        verifying->valid.assign(count, 0);
        verifying->next = 0;
        if (workers)
            workers->start();
        if (otherUnprinted) {
            print(*other);
            otherUnprinted = false;
        }
        // Lines already read only: blocking on a slow producer here would hold back the answers of this window.
        bool haveNext = reader.fill(*other, false);
        takeAndVerify();
        if (workers)
            workers->finish();
        if (haveNext) {
            otherUnprinted = true; // printed while the threads verify the next window
        } else {
            // Nothing read ahead: answer now, then wait for more input.
            print(*verifying);
            haveNext = reader.fill(*other, true);
        }
        std::swap(verifying, other);
        haveLines = haveNext;
    }
    if (otherUnprinted)
        print(*other);
    return allValid;
}

} // namespace jwti
