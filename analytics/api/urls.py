from django.urls import path

from analytics.api import views

urlpatterns = [
    path("analytics/dashboard", views.DashboardView.as_view(), name="analytics-dashboard"),
    path("analytics/revenue", views.RevenueView.as_view(), name="analytics-revenue"),
    path("analytics/products/top", views.TopProductsView.as_view(), name="analytics-top-products"),
    path("analytics/customers", views.CustomersView.as_view(), name="analytics-customers"),
    path("analytics/orders", views.OrdersView.as_view(), name="analytics-orders"),
]
