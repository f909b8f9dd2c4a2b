// `rill serve` end to end (src/host): the rill binary serves guests/http/handler.c on a free
// port; requests go over raw sockets so malformed and hostile input can be sent. Every test
// ends by checking that the server still answers.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace {

class Server {
 public:
  explicit Server(const std::vector<std::string>& flags) {
    int err[2];
    if (::pipe(err) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(err[1], 2);
      int devnull = ::open("/dev/null", O_WRONLY);
      ::dup2(devnull, 1);
      std::vector<std::string> args = {RILL_BINARY, "serve", "--addr", "127.0.0.1:0", "--threads", "1"};
      args.insert(args.end(), flags.begin(), flags.end());
      args.push_back(RILL_HTTP_GUEST);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(RILL_BINARY, argv.data());
      _exit(127);
    }
    ::close(err[1]);
    err_ = ::fdopen(err[0], "r");
    char line[256] = {};
    if (std::fgets(line, sizeof line, err_)) {  // "http://127.0.0.1:PORT/"
      std::string url(line);
      port_ = std::stoi(url.substr(url.rfind(':') + 1));
    }
  }
  ~Server() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
    if (err_) std::fclose(err_);
  }
  int port() const { return port_; }
  /// Stops with SIGTERM; the exit status.
  int stop() {
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  pid_t pid_ = -1;
  FILE* err_ = nullptr;
  int port_ = 0;
};

int connect_to(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval tv{20, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

void send_all(int fd, const std::string& s) {
  size_t off = 0;
  while (off < s.size()) {
    ssize_t n = ::send(fd, s.data() + off, s.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return;
    off += static_cast<size_t>(n);
  }
}

std::string read_all(int fd) {
  std::string out;
  char buf[65536];
  for (;;) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

/// Sends {raw} on a new connection and reads until the server closes it.
std::string roundtrip(int port, const std::string& raw) {
  int fd = connect_to(port);
  if (fd < 0) return "";
  // Sent from another thread while this one reads: a server that streams its answer while the
  // request still arrives (echo) would otherwise fill both socket buffers and stall.
  std::thread sender([fd, &raw] { send_all(fd, raw); });
  std::string r = read_all(fd);
  sender.join();
  ::close(fd);
  return r;
}

std::string get(int port, const std::string& path, const std::string& extra = "") {
  return roundtrip(port, "GET " + path + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n" + extra + "\r\n");
}

std::string status_line(const std::string& r) {
  return r.substr(0, r.find("\r\n"));
}

#define SKIP_WITHOUT_GUEST()                                  \
  if (!RILL_HAVE_HTTP_GUEST) GTEST_SKIP() << "no clang-19/jco to build the guest"

TEST(Serve, HelloAndKeepAlive) {
  SKIP_WITHOUT_GUEST();
  Server s({"--quiet"});
  ASSERT_GT(s.port(), 0);
  std::string r = get(s.port(), "/");
  EXPECT_EQ(status_line(r), "HTTP/1.1 200 OK");
  EXPECT_NE(r.find("\r\n\r\nhello from rill\n"), std::string::npos);
  // Two requests on one connection, a fresh instance each.
  std::string two = roundtrip(s.port(), "GET / HTTP/1.1\r\nHost: t\r\n\r\nGET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
  size_t first = two.find("hello from rill");
  ASSERT_NE(first, std::string::npos);
  EXPECT_NE(two.find("hello from rill", first + 1), std::string::npos);
  EXPECT_EQ(s.stop(), 0);  // SIGTERM drains and exits 0
}

TEST(Serve, HeadersTrailersAndFieldRules) {
  SKIP_WITHOUT_GUEST();
  Server s({"--quiet"});
  std::string r = get(s.port(), "/headers", "x-test: yes\r\n");
  EXPECT_NE(r.find("x-echo: yes\r\n"), std::string::npos) << r;
  r = get(s.port(), "/trailers");
  EXPECT_NE(r.find("Transfer-Encoding: chunked"), std::string::npos) << r;
  EXPECT_NE(r.find("\r\n0\r\nx-checksum: abc123\r\n\r\n"), std::string::npos) << r;
  // A forbidden name (connection) is header-error.forbidden (1), CR LF is invalid-syntax (0).
  r = get(s.port(), "/bad-header");
  EXPECT_NE(r.find("connection: 1, crlf: 0"), std::string::npos) << r;
}

TEST(Serve, BodyNeverExceedsContentLength) {
  SKIP_WITHOUT_GUEST();
  Server s({"--quiet"});
  // The guest declares 10 bytes and writes 5: the connection is cut, never padded or extended.
  std::string r = get(s.port(), "/short");
  const size_t body = r.find("\r\n\r\n");
  ASSERT_NE(body, std::string::npos);
  EXPECT_LT(r.size() - body - 4, 10u);
  EXPECT_EQ(status_line(get(s.port(), "/")), "HTTP/1.1 200 OK");
}

TEST(Serve, StreamingEcho) {
  SKIP_WITHOUT_GUEST();
  Server s({"--quiet"});
  std::string body(8 << 20, '\0');
  for (size_t i = 0; i < body.size(); ++i) body[i] = static_cast<char>(i * 7 + i / 4096);
  std::string r = roundtrip(s.port(), "POST /echo HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Length: " +
                                         std::to_string(body.size()) + "\r\n\r\n" + body);
  ASSERT_EQ(status_line(r), "HTTP/1.1 200 OK");
  // Chunked: strip the chunk framing.
  std::string got;
  size_t p = r.find("\r\n\r\n") + 4;
  for (;;) {
    size_t eol = r.find("\r\n", p);
    ASSERT_NE(eol, std::string::npos);
    size_t n = std::stoul(r.substr(p, eol - p), nullptr, 16);
    if (n == 0) break;
    got.append(r, eol + 2, n);
    p = eol + 2 + n + 2;
  }
  EXPECT_TRUE(got == body) << got.size();
}

TEST(Serve, GuestFaultsAnswerAndTheServerStaysUp) {
  SKIP_WITHOUT_GUEST();
  Server s({"--quiet", "--request-timeout", "500ms", "--max-memory", "16M"});
  EXPECT_EQ(status_line(get(s.port(), "/trap")), "HTTP/1.1 500 Internal Server Error");
  EXPECT_EQ(status_line(get(s.port(), "/loop")), "HTTP/1.1 504 Gateway Timeout");
  EXPECT_EQ(status_line(get(s.port(), "/sleep?60000")), "HTTP/1.1 504 Gateway Timeout");
  EXPECT_EQ(status_line(get(s.port(), "/oom")), "HTTP/1.1 500 Internal Server Error");
  EXPECT_EQ(status_line(get(s.port(), "/none")), "HTTP/1.1 500 Internal Server Error");
  EXPECT_EQ(status_line(get(s.port(), "/")), "HTTP/1.1 200 OK");
}

TEST(Serve, AWaitingGuestDoesNotStallItsThread) {
  SKIP_WITHOUT_GUEST();
  Server s({"--quiet"});  // one thread
  int slow = connect_to(s.port());
  send_all(slow, "GET /sleep?3000 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(status_line(get(s.port(), "/")), "HTTP/1.1 200 OK");
  // The sleeper has not answered yet (it waits 3 s on its fiber), and then does.
  char c;
  EXPECT_EQ(::recv(slow, &c, 1, MSG_DONTWAIT), -1);
  EXPECT_NE(read_all(slow).find("slept"), std::string::npos);
  ::close(slow);
}

TEST(Serve, HostileRequests) {
  SKIP_WITHOUT_GUEST();
  Server s({"--quiet", "--max-header-bytes", "1024", "--max-body-bytes", "1000", "--header-timeout", "300ms"});
  const int port = s.port();
  EXPECT_EQ(status_line(get(port, "/", "x-big: " + std::string(4000, 'a') + "\r\n")),
            "HTTP/1.1 431 Request Header Fields Too Large");
  EXPECT_EQ(status_line(roundtrip(port, "NOT HTTP AT ALL\r\n\r\n")), "HTTP/1.1 400 Bad Request");
  EXPECT_EQ(status_line(roundtrip(port, "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\n\r\n")),
            "HTTP/1.1 413 Payload Too Large");
  // Malformed chunked body: the guest's read fails; the connection ends, the server lives.
  (void)roundtrip(port, "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nxx\r\n");
  // Slowloris: half a head, then nothing: closed after --header-timeout.
  int slow = connect_to(port);
  send_all(slow, "GET / HTTP/1.1\r\nHo");
  EXPECT_EQ(read_all(slow), "");
  ::close(slow);
  // A client that goes away mid-body.
  int gone = connect_to(port);
  send_all(gone, "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 900\r\n\r\n" + std::string(100, 'x'));
  ::close(gone);
  EXPECT_EQ(status_line(get(port, "/")), "HTTP/1.1 200 OK");
}

}  // namespace
