// flush_latency: what one durable commit's flush costs on this machine's disk, with every CPU idle and
// with one CPU busy at a time. Nothing of extcomm runs here: it writes the way SQLite's WAL does under the
// single-message shape (bench/run step 2), so the e2e figures can be read against the disk they ran on.
//
//   flush_latency --dir DIR [--commits N] [--frames F]
//
// Each commit writes F frames of 4,120 bytes (a 4 KiB page and its 24-byte WAL frame header) after the
// previous ones, then fdatasync(2)s the file, as a commit at synchronous=FULL does; the file is written
// in full first, so the frames overwrite blocks already allocated (a WAL after its first restart). Phases:
//   quiet        nothing else runs;
//   busy-cpuK    a thread spins on CPU K (sched_setaffinity), and the committing thread runs on another
//                CPU, so it never waits for a CPU itself: only the disk's completion can be late;
//   busy-cpuK-sched-idle  the same, the spinner in SCHED_IDLE: it gives way to anything else at once.
// A virtual machine's disk completes a request with an interrupt delivered to one CPU; on some hypervisors
// the interrupt waits while that CPU runs anything, and the flush with it. The phase whose busy CPU is
// that one shows it. The interrupt line that fired most during the quiet phase, and on which CPUs, is
// printed from /proc/interrupts.
//
// Prints one key=value line per phase: phase, commits, mean_us, p50_us, p99_us; then irq=<name> cpus=...
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr std::size_t kFrame = 4096 + 24;
constexpr off_t kFileBytes = 64 << 20;

struct Options {
    std::string dir;
    int commits = 2000;
    int frames = 28; // a group of ~14 single-message requests wrote ~28 WAL frames (docs/benchmarks.md)
};

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string key = argv[i], value = argv[i + 1];
        if (key == "--dir") o.dir = value;
        else if (key == "--commits") o.commits = std::atoi(value.c_str());
        else if (key == "--frames") o.frames = std::atoi(value.c_str());
        else throw std::runtime_error("unknown argument " + key);
    }
    if (o.dir.empty() || o.commits < 1 || o.frames < 1) throw std::runtime_error("usage: flush_latency --dir DIR [--commits N] [--frames F]");
    return o;
}

void pin_to(int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    pthread_setaffinity_np(pthread_self(), sizeof set, &set);
}

void unpin() {
    cpu_set_t set;
    CPU_ZERO(&set);
    for (unsigned c = 0; c < std::thread::hardware_concurrency(); ++c) CPU_SET(c, &set);
    pthread_setaffinity_np(pthread_self(), sizeof set, &set);
}

class WalLikeFile {
public:
    explicit WalLikeFile(const std::string& path) : path_(path), fd_(::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0600)) {
        if (fd_ < 0) throw std::runtime_error("cannot create " + path);
        std::vector<char> zeros(1 << 20);
        for (off_t at = 0; at < kFileBytes; at += static_cast<off_t>(zeros.size()))
            if (::pwrite(fd_, zeros.data(), zeros.size(), at) < 0) throw std::runtime_error("cannot write " + path);
        ::fsync(fd_);
    }
    ~WalLikeFile() {
        ::close(fd_);
        ::unlink(path_.c_str());
    }
    // One commit: `frames` frames after the last ones (wrapping at the end), then fdatasync. Microseconds.
    double commit(int frames) {
        static const std::vector<char> frame(kFrame, 'x');
        for (int i = 0; i < frames; ++i) {
            if (at_ + static_cast<off_t>(kFrame) > kFileBytes) at_ = 0;
            if (::pwrite(fd_, frame.data(), frame.size(), at_) < 0) throw std::runtime_error("write failed");
            at_ += static_cast<off_t>(kFrame);
        }
        auto start = std::chrono::steady_clock::now();
        if (::fdatasync(fd_) != 0) throw std::runtime_error("fdatasync failed");
        return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count();
    }

private:
    std::string path_;
    int fd_;
    off_t at_ = 0;
};

void report(const std::string& phase, std::vector<double> us) {
    std::sort(us.begin(), us.end());
    double sum = 0;
    for (double u : us) sum += u;
    auto at = [&](double q) { return us[std::min(us.size() - 1, static_cast<std::size_t>(q * static_cast<double>(us.size())))]; };
    std::printf("phase=%s commits=%zu mean_us=%.0f p50_us=%.0f p99_us=%.0f\n", phase.c_str(), us.size(),
                sum / static_cast<double>(us.size()), at(0.5), at(0.99));
    std::fflush(stdout);
}

std::vector<double> run_commits(WalLikeFile& file, const Options& o, int commits) {
    std::vector<double> us;
    for (int i = 0; i < commits; ++i) us.push_back(file.commit(o.frames));
    return us;
}

// /proc/interrupts: per line (its last field, the device's name), the count on each CPU.
std::map<std::string, std::vector<long>> interrupts() {
    std::map<std::string, std::vector<long>> out;
    std::ifstream in("/proc/interrupts");
    std::string line;
    std::getline(in, line); // CPU0 CPU1 ...
    const unsigned cpus = std::thread::hardware_concurrency();
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::string irq, word;
        fields >> irq;
        std::vector<long> counts;
        for (unsigned c = 0; c < cpus && fields >> word; ++c) counts.push_back(std::atol(word.c_str()));
        std::string name;
        while (fields >> word) name = word;
        if (counts.size() == cpus) out[irq + name] = counts;
    }
    return out;
}

void report_busiest_irq(const std::map<std::string, std::vector<long>>& before,
                        const std::map<std::string, std::vector<long>>& after) {
    std::string busiest;
    long most = 0;
    std::vector<long> spread;
    for (const auto& [name, counts] : after) {
        auto found = before.find(name);
        if (found == before.end()) continue;
        long total = 0;
        std::vector<long> delta;
        for (std::size_t c = 0; c < counts.size(); ++c) {
            delta.push_back(counts[c] - found->second[c]);
            total += delta.back();
        }
        if (total > most) most = total, busiest = name, spread = delta;
    }
    if (busiest.empty()) return;
    std::printf("irq=%s cpus=", busiest.c_str());
    for (std::size_t c = 0; c < spread.size(); ++c) std::printf("%s%zu:%ld", c ? "," : "", c, spread[c]);
    std::printf("\n");
}

} // namespace

int main(int argc, char** argv) try {
    const Options o = parse(argc, argv);
    WalLikeFile file(o.dir + "/flush-latency.wal");
    run_commits(file, o, 100); // warm up: the first syncs after the fill are not what a running store sees

    auto before = interrupts();
    report("quiet", run_commits(file, o, o.commits));
    report_busiest_irq(before, interrupts());

    const unsigned cpus = std::thread::hardware_concurrency();
    if (cpus < 2) return 0;
    for (bool idle_class : {false, true})
        for (unsigned busy = 0; busy < cpus; ++busy) {
            std::atomic<bool> stop{false};
            std::thread spinner([&] {
                pin_to(static_cast<int>(busy));
                // SCHED_IDLE: the spinner yields its CPU to anything else that wants it, the kernel's own
                // work included. If the flush is still late, it is not the guest's scheduler that holds it.
                if (idle_class) {
                    sched_param none{};
                    pthread_setschedparam(pthread_self(), SCHED_IDLE, &none);
                }
                while (!stop.load(std::memory_order_relaxed)) {
                }
            });
            pin_to(static_cast<int>((busy + 1) % cpus));
            // A busy CPU may hold each flush for milliseconds: fewer commits keep the phase short.
            report("busy-cpu" + std::to_string(busy) + (idle_class ? "-sched-idle" : ""),
                   run_commits(file, o, std::max(1, o.commits / 8)));
            stop = true;
            spinner.join();
            unpin();
        }
    return 0;
} catch (const std::exception& e) {
    std::fprintf(stderr, "flush_latency: %s\n", e.what());
    return 1;
}
