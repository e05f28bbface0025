import Foundation
import Hummingbird

extension StrataService {
    /// `GET /dashboard`: the service dashboard, an HTML page that refreshes itself (see
    /// ``DashboardPage``). A read, so open without the API key like every other GET.
    func addDashboardRoutes(to router: Router<BasicRequestContext>) {
        router.get("dashboard") { _, _ in
            let nonce = UUID().uuidString.replacingOccurrences(of: "-", with: "")
            let page = DashboardPage(data: self.dashboardData(), nonce: nonce).html()
            return Response(
                status: .ok,
                headers: [
                    .contentType: "text/html; charset=utf-8",
                    .cacheControl: "no-store",
                    // Nothing from elsewhere, and no script but the page's own: stored text that
                    // slipped through escaping could still not run.
                    .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-\(nonce)'; "
                        + "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
                    .init("X-Content-Type-Options")!: "nosniff",
                ],
                body: .init(byteBuffer: ByteBuffer(string: page)))
        }
    }
}
