use actix_web::middleware::from_fn;
use actix_web::{test, web, App, HttpResponse};

#[actix_rt::test]
async fn preflights_and_actual_requests_through_actix() {
    let app = test::init_service(
        App::new()
            .wrap(from_fn(actix_web_cors::cors))
            .route("/items", web::put().to(|| async { HttpResponse::Ok().body("stored") }))
            .route("/items", web::get().to(|| async { HttpResponse::Ok().body("items") })),
    )
    .await;

    let preflight = test::TestRequest::default()
        .method(actix_web::http::Method::OPTIONS)
        .uri("/items")
        .insert_header(("origin", "http://localhost:5173"))
        .insert_header(("access-control-request-method", "PUT"))
        .insert_header(("access-control-request-headers", "content-type"))
        .to_request();
    let response = test::call_service(&app, preflight).await;
    assert_eq!(response.status(), 204);
    assert_eq!(response.headers().get("access-control-allow-origin").unwrap(), "http://localhost:5173");
    assert_eq!(response.headers().get("access-control-allow-methods").unwrap(), "PUT");
    assert_eq!(response.headers().get("access-control-allow-headers").unwrap(), "content-type");

    let refused = test::TestRequest::default()
        .method(actix_web::http::Method::OPTIONS)
        .uri("/items")
        .insert_header(("origin", "https://evil.example"))
        .insert_header(("access-control-request-method", "PUT"))
        .to_request();
    let response = test::call_service(&app, refused).await;
    assert_eq!(response.status(), 403);
    assert!(response.headers().get("access-control-allow-origin").is_none());

    let actual = test::TestRequest::get()
        .uri("/items")
        .insert_header(("origin", "https://app.example.com"))
        .to_request();
    let response = test::call_service(&app, actual).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers().get("access-control-allow-origin").unwrap(), "https://app.example.com");
    assert_eq!(response.headers().get("access-control-allow-credentials").unwrap(), "true");
    assert_eq!(response.headers().get("vary").unwrap(), "Origin");
}
