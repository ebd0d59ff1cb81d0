// The layer's future is an enum so that `call` builds it in place, but it is not API: its
// variants are `#[non_exhaustive]`, so no code outside the runtime builds one.
use cors_policy_runtime::ResponseFuture;

type Inner = core::future::Ready<Result<http::Response<()>, core::convert::Infallible>>;

fn main() {
    let _answer: ResponseFuture<Inner, ()> = ResponseFuture::Preflight { response: None };
    let _passed: ResponseFuture<Inner, ()> =
        ResponseFuture::Inner { future: core::future::ready(Ok(http::Response::new(()))), headers: None };
}
