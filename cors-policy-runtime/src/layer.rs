//! The `tower` integration: [`CorsLayer`] for axum's `Router::layer`, hyper and tonic.

use crate::http::{refused_preflight, ActualHeaders, HttpPolicy, HttpView};
use crate::{Policy, RefusalReason};
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};
use http::{Request, Response};
use tower_layer::Layer;
use tower_service::Service;

impl Policy<'static> {
    /// A `tower::Layer` enforcing this policy.
    ///
    /// Place it outside authentication: preflights carry no credentials, so an authentication
    /// layer that runs first would answer them 401 and fail every preflight.
    ///
    /// ```
    /// use cors_policy_runtime::{cors_policy, Policy};
    ///
    /// static API: Policy = cors_policy! { allow_origins: ["https://app.example.com"] };
    ///
    /// use tower_layer::Layer;
    /// use tower_service::Service;
    ///
    /// // Any `Service<Request<B>, Response = Response<R>>` with `R: Default`, such as an axum
    /// // `Router` (`Router::new().route(...).layer(API.layer())`).
    /// let handler = tower_service_fn(|_req: http::Request<()>| http::Response::new(String::from("hello")));
    /// let mut service = API.layer().layer(handler);
    ///
    /// let preflight = http::Request::builder()
    ///     .method("OPTIONS")
    ///     .header("origin", "https://app.example.com")
    ///     .header("access-control-request-method", "GET")
    ///     .body(())
    ///     .unwrap();
    /// let response = block_on(service.call(preflight)).unwrap();
    /// assert_eq!(response.status(), 204);
    /// assert_eq!(response.headers()["access-control-allow-origin"], "https://app.example.com");
    /// # fn block_on<F: std::future::Future>(f: F) -> F::Output {
    /// #     let waker = std::task::Waker::noop();
    /// #     let mut cx = std::task::Context::from_waker(&waker);
    /// #     let mut f = std::pin::pin!(f);
    /// #     loop { if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) { return v; } }
    /// # }
    /// # fn tower_service_fn<F: FnMut(http::Request<()>) -> http::Response<String>>(f: F) -> Fn<F> { Fn(f) }
    /// # struct Fn<F>(F);
    /// # impl<F: FnMut(http::Request<()>) -> http::Response<String>> Service<http::Request<()>> for Fn<F> {
    /// #     type Response = http::Response<String>;
    /// #     type Error = std::convert::Infallible;
    /// #     type Future = std::future::Ready<Result<Self::Response, Self::Error>>;
    /// #     fn poll_ready(&mut self, _: &mut std::task::Context<'_>) -> std::task::Poll<Result<(), Self::Error>> { std::task::Poll::Ready(Ok(())) }
    /// #     fn call(&mut self, req: http::Request<()>) -> Self::Future { std::future::ready(Ok((self.0)(req))) }
    /// # }
    /// ```
    pub fn layer(&'static self) -> CorsLayer {
        let source = Source::Static { policy: HttpPolicy::new(self), tenants: TenantBinding::none() };
        CorsLayer { source, refusal_extensions: false }
    }
}

/// A `tower::Layer` that applies a policy: a compiled one ([`Policy::layer`]), or one loaded
/// at run time (`OwnedPolicy::layer`, `ReloadablePolicy::layer`, with the `load` feature).
/// Cheap to clone.
#[derive(Clone, Debug)]
pub struct CorsLayer {
    source: Source,
    refusal_extensions: bool,
}

/// Where each request's policy comes from.
#[derive(Clone, Debug)]
pub(crate) enum Source {
    /// Generated code's tables, and the tenant sets lent to them.
    Static { policy: HttpPolicy<'static>, tenants: TenantBinding },
    /// A policy loaded at run time, served as it is.
    #[cfg(feature = "load")]
    Owned(alloc::sync::Arc<crate::owned::Served>),
    /// A policy loaded at run time that a [`ReloadablePolicy`](crate::ReloadablePolicy) swaps:
    /// every request reads the current one once, lock-free, and keeps it to its end.
    #[cfg(feature = "load")]
    Reloadable(alloc::sync::Arc<arc_swap::ArcSwap<crate::owned::Served>>),
}

/// The tenant sets lent to a static policy: none without the `tenants` feature.
#[cfg(not(feature = "tenants"))]
#[derive(Clone, Debug)]
pub(crate) struct TenantBinding;

#[cfg(not(feature = "tenants"))]
impl TenantBinding {
    fn none() -> Self {
        TenantBinding
    }

    fn lookup(&self) -> Option<core::convert::Infallible> {
        None
    }
}

#[cfg(feature = "tenants")]
pub(crate) use crate::tenants::TenantBinding;

impl CorsLayer {
    /// The same as [`Policy::layer`].
    pub fn new(policy: &'static Policy<'static>) -> Self {
        policy.layer()
    }

    #[cfg(feature = "load")]
    pub(crate) fn from_source(source: Source) -> Self {
        CorsLayer { source, refusal_extensions: false }
    }

    /// The same layer, inserting into the response to every refused request why it was
    /// refused: a [`CorsRefusal`](crate::CorsRefusal) (a 403 preflight answer, or the
    /// application's response to an actual request from an origin the policy does not allow),
    /// or a
    /// [`WriteRefusal`](crate::write_protection::WriteRefusal) (a write `protect_writes`
    /// refused), for an outer layer or a test to read with `response.extensions().get()`.
    ///
    /// Off by default: the first insert into a response's extensions allocates `http`'s
    /// extension map (three allocations, about 60 ns), and any page can send refused requests
    /// at will. Allowed requests get no extension either way. The `tracing` feature reports
    /// refusals without it.
    ///
    /// ```
    /// use cors_policy_runtime::{cors_policy, CorsRefusal, Policy, RefusalReason};
    /// use tower_layer::Layer;
    /// use tower_service::Service;
    ///
    /// static API: Policy = cors_policy! { allow_origins: ["https://app.example.com"] };
    ///
    /// # let app = tower_service_fn(|_req: http::Request<()>| http::Response::new(String::new()));
    /// let mut service = API.layer().with_refusal_extensions().layer(app);
    /// let preflight = http::Request::builder()
    ///     .method("OPTIONS")
    ///     .header("origin", "https://evil.example")
    ///     .header("access-control-request-method", "GET")
    ///     .body(())
    ///     .unwrap();
    /// let response = block_on(service.call(preflight)).unwrap();
    /// assert_eq!(response.status(), 403);
    /// let refusal = response.extensions().get::<CorsRefusal>().unwrap();
    /// assert_eq!(refusal.reason(), RefusalReason::OriginNotAllowed);
    /// # fn block_on<F: std::future::Future>(f: F) -> F::Output {
    /// #     let waker = std::task::Waker::noop();
    /// #     let mut cx = std::task::Context::from_waker(&waker);
    /// #     let mut f = std::pin::pin!(f);
    /// #     loop { if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) { return v; } }
    /// # }
    /// # fn tower_service_fn<F: FnMut(http::Request<()>) -> http::Response<String>>(f: F) -> Fn<F> { Fn(f) }
    /// # struct Fn<F>(F);
    /// # impl<F: FnMut(http::Request<()>) -> http::Response<String>> Service<http::Request<()>> for Fn<F> {
    /// #     type Response = http::Response<String>;
    /// #     type Error = std::convert::Infallible;
    /// #     type Future = std::future::Ready<Result<Self::Response, Self::Error>>;
    /// #     fn poll_ready(&mut self, _: &mut std::task::Context<'_>) -> std::task::Poll<Result<(), Self::Error>> { std::task::Poll::Ready(Ok(())) }
    /// #     fn call(&mut self, req: http::Request<()>) -> Self::Future { std::future::ready(Ok((self.0)(req))) }
    /// # }
    /// ```
    pub fn with_refusal_extensions(self) -> Self {
        CorsLayer { refusal_extensions: true, ..self }
    }

    /// The same layer, with the members of the policy's tenant sets
    /// (`allow_origins: [{tenants: name}]`) looked up in `sets`, one for each set the policy
    /// names. Without this, a tenant set admits no origin.
    ///
    /// # Errors
    ///
    /// [`TenantBindError`](crate::tenants::TenantBindError) when a set the policy names has no
    /// set in `sets`, a set of `sets` has a name the policy does not use, or a set accepts
    /// plain-http origins while the policy allows credentials (its inserts would not be checked
    /// as strictly as the policy demands).
    #[cfg(feature = "tenants")]
    pub fn with_tenant_origins(
        self,
        sets: impl IntoIterator<Item = crate::tenants::TenantOrigins>,
    ) -> Result<Self, crate::tenants::TenantBindError> {
        let source = match self.source {
            Source::Static { policy, .. } => {
                let tenants = TenantBinding::bind(policy.policy().engine(), sets)?;
                Source::Static { policy, tenants }
            }
            #[cfg(feature = "load")]
            Source::Owned(served) => Source::Owned(alloc::sync::Arc::new(served.rebind(sets)?)),
            #[cfg(feature = "load")]
            Source::Reloadable(_) => return Err(crate::tenants::TenantBindError::reloadable()),
        };
        Ok(CorsLayer { source, ..self })
    }
}

impl<S> Layer<S> for CorsLayer {
    type Service = Cors<S>;

    fn layer(&self, inner: S) -> Cors<S> {
        Cors { inner, source: self.source.clone(), refusal_extensions: self.refusal_extensions }
    }
}

/// The service [`CorsLayer`] wraps around yours: it answers preflights itself and adds CORS
/// headers to the responses of every other request.
#[derive(Clone, Debug)]
pub struct Cors<S> {
    inner: S,
    source: Source,
    refusal_extensions: bool,
}

impl<S> Cors<S> {
    /// The wrapped service.
    pub fn get_ref(&self) -> &S {
        &self.inner
    }
}

impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for Cors<S>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>>,
    ResBody: Default,
{
    type Response = Response<ResBody>;
    type Error = S::Error;
    type Future = ResponseFuture<S::Future, ResBody>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<ReqBody>) -> Self::Future {
        // One call of `decide`, with the policy of this request, so that it is inlined once.
        #[cfg(feature = "tenants")]
        let bound;
        #[cfg(feature = "load")]
        let (served, view);
        let policy = match &self.source {
            Source::Static { policy, tenants } => match tenants.lookup() {
                None => policy.view(),
                #[cfg(feature = "tenants")]
                Some(lookup) => {
                    bound = policy.policy().with_tenant_lookup(lookup);
                    policy.view_with(&bound)
                }
            },
            #[cfg(feature = "load")]
            Source::Owned(owned) => {
                view = owned.policy();
                owned.http(&view)
            }
            #[cfg(feature = "load")]
            Source::Reloadable(current) => {
                // One load per request: the whole request is decided and answered by the
                // policy current when it arrived, however many reloads happen meanwhile.
                served = current.load();
                view = served.policy();
                served.http(&view)
            }
        };
        match decide(&policy, &request, self.refusal_extensions) {
            Outcome::Answer(response) => ResponseFuture::Preflight { response: Some(response) },
            Outcome::Refuse(reason) => {
                ResponseFuture::Preflight { response: Some(refused_preflight(reason)) }
            }
            Outcome::Pass(headers) => {
                ResponseFuture::Inner { future: self.inner.call(request), headers: Some(headers) }
            }
        }
    }
}

/// What the layer does with a request.
enum Outcome<B> {
    /// Answers it here: a preflight, or a write `protect_writes` refused.
    Answer(Response<B>),
    /// Answers a refused preflight here, with the empty 403 that `call` builds out of line
    /// ([`refused_preflight`]); the reason is there when the response's extensions get it.
    Refuse(Option<RefusalReason>),
    /// Passes it on to the application, whose response gets these headers.
    Pass(ActualHeaders),
}

/// Decides `request` with `policy`: a preflight or a refused write is answered here, anything
/// else goes on with the CORS headers its response will get; with `refusal_extensions`, a
/// refused request's response gets the refusal in its extensions. The request is only
/// borrowed, so that it moves once, into the application.
#[inline]
fn decide<ReqBody, ResBody: Default>(
    policy: &HttpView<'_, '_>,
    request: &Request<ReqBody>,
    refusal_extensions: bool,
) -> Outcome<ResBody> {
    // `protect_writes` first: a refused write never reaches the handler (CORS alone would
    // only hide its response).
    if let Some(Err(refusal)) = protect_writes(policy.policy(), request) {
        #[cfg(feature = "tracing")]
        tracing::debug!(
            target: "cors_policy",
            policy = policy.policy().name().unwrap_or("unnamed"),
            kind = "write",
            reason = refusal.code(),
            origin = %crate::refusal::Shown(request.headers().get(http::header::ORIGIN).map_or(&[][..], |v| v.as_bytes())),
            "refused a cross-origin write: {}",
            refusal.reason(),
        );
        let mut response = Response::new(ResBody::default());
        *response.status_mut() = http::StatusCode::FORBIDDEN;
        if refusal_extensions {
            response.extensions_mut().insert(refusal);
        }
        return Outcome::Answer(response);
    }
    let decision = policy.decide(request.method(), request.headers());
    #[cfg(feature = "tracing")]
    if let Some(refusal) = decision.refusal() {
        trace_refusal(policy.policy(), decision.kind(), refusal, request.headers());
    }
    if decision.is_preflight() {
        if let Some(refusal) = decision.refusal() {
            return Outcome::Refuse(refusal_extensions.then(|| refusal.reason()));
        }
        return Outcome::Answer(policy.preflight_response(&decision));
    }
    let headers = policy.actual_headers(&decision);
    Outcome::Pass(if refusal_extensions { headers } else { headers.without_refusal() })
}

/// `Sec-Fetch-Site`, which `http` has no constant for.
const SEC_FETCH_SITE: http::header::HeaderName = http::header::HeaderName::from_static("sec-fetch-site");

/// The policy's `protect_writes` verdict on `request`, for refusals: `None` when the policy does
/// not protect writes, exempts the path, or the request passes without reading the rest (a
/// safe method; `Sec-Fetch-Site: same-origin` or `none`, which pass whatever `Origin` says).
/// Repeated `Origin`, `Sec-Fetch-Site` or `Host` lines are refused, not read by their first
/// line; an HTTP/2 request gives its authority instead of a `Host` header.
fn protect_writes<B>(
    policy: &Policy<'_>,
    request: &Request<B>,
) -> Option<Result<crate::write_protection::WritePass, crate::write_protection::WriteRefusal>> {
    use cors_policy_core::write_protection::{HeaderField, WriteRequest};
    let engine = policy.engine();
    engine.write_protection()?;
    let method = request.method();
    if method == http::Method::GET || method == http::Method::HEAD || method == http::Method::OPTIONS {
        return None;
    }
    // One pass over a small map (what browsers send), instead of hashing three names.
    let (mut origin, mut sec_fetch_site, mut host) =
        (HeaderField::Absent, HeaderField::Absent, HeaderField::Absent);
    let headers = request.headers();
    if headers.len() <= 24 {
        for (name, value) in headers {
            if name == http::header::ORIGIN {
                origin = origin.and(value.as_bytes());
            } else if name == SEC_FETCH_SITE {
                sec_fetch_site = sec_fetch_site.and(value.as_bytes());
            } else if name == http::header::HOST {
                host = host.and(value.as_bytes());
            }
        }
    } else {
        let lines = |name| {
            HeaderField::from_lines(headers.get_all(name).into_iter().map(http::HeaderValue::as_bytes))
        };
        (origin, sec_fetch_site, host) =
            (lines(http::header::ORIGIN), lines(SEC_FETCH_SITE), lines(http::header::HOST));
    }
    if matches!(sec_fetch_site, HeaderField::One(b"same-origin" | b"none")) {
        return None;
    }
    if host == HeaderField::Absent {
        if let Some(authority) = request.uri().authority() {
            host = HeaderField::One(authority.as_str().as_bytes());
        }
    }
    let write = WriteRequest { method: method.as_str().as_bytes(), origin, sec_fetch_site, host };
    engine.protect_writes(&write, request.uri().path().as_bytes())
}

pin_project_lite::pin_project! {
    /// The future of [`Cors`]: a preflight answer, or the inner response with CORS headers added.
    ///
    /// An enum whose variants are hidden and cannot be built outside this crate
    /// (`#[non_exhaustive]`), rather than a struct around a private enum: `call` then writes
    /// the inner future and the headers straight into the future it returns, where the
    /// struct's field was built on the stack first and copied (`memcpy`, 192 bytes) into its
    /// place: 36 instructions on an actual request, 7 to 10 ns on a preflight, 5 on a refused
    /// actual request (BENCHMARKS.md, issue 11, tenth round).
    #[project = ResponseFutureProjection]
    pub enum ResponseFuture<F, B> {
        #[doc(hidden)]
        #[non_exhaustive]
        Preflight { response: Option<Response<B>> },
        #[doc(hidden)]
        #[non_exhaustive]
        Inner { #[pin] future: F, headers: Option<ActualHeaders> },
    }
}

impl<F, B, E> Future for ResponseFuture<F, B>
where
    F: Future<Output = Result<Response<B>, E>>,
{
    type Output = Result<Response<B>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project() {
            ResponseFutureProjection::Preflight { response } => match response.take() {
                Some(response) => Poll::Ready(Ok(response)),
                None => Poll::Pending,
            },
            ResponseFutureProjection::Inner { future, headers } => {
                let mut response = core::task::ready!(future.poll(cx))?;
                if let Some(headers) = headers.take() {
                    headers.apply_to(&mut response);
                }
                Poll::Ready(Ok(response))
            }
        }
    }
}

/// The one `tracing` event of a refused request, at `DEBUG` level with target `cors_policy`:
/// a refusal is caused by the client (any page, or any script outside a browser, can send an
/// `Origin` the policy does not allow), so at `INFO` or above anyone could fill a server's
/// logs; `RUST_LOG=cors_policy=debug` shows them when they are wanted.
///
/// Fields: `policy` (the policy's name, `unnamed` without one), `kind` (`preflight` or
/// `actual`), `reason` (a [`RefusalReason`](crate::RefusalReason) code) and `origin` (the first
/// `Origin` line, at most 64 bytes, escaped); the message is the refusal's `Display`, whose
/// request values are cut and escaped the same way. Formatting happens only if a subscriber
/// records the event.
#[cfg(feature = "tracing")]
fn trace_refusal(
    policy: &Policy<'_>,
    kind: crate::RequestKind,
    refusal: crate::Refusal<'_>,
    headers: &http::HeaderMap,
) {
    let origin = headers.get(http::header::ORIGIN).map_or(&[][..], |value| value.as_bytes());
    tracing::debug!(
        target: "cors_policy",
        policy = policy.name().unwrap_or("unnamed"),
        kind = kind.as_str(),
        reason = refusal.reason().as_str(),
        origin = %crate::refusal::Shown(origin),
        "refused a CORS {} request: {}",
        kind.as_str(),
        refusal,
    );
}
