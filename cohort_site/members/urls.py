from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("me/profile/", views.ProfileView.as_view(), name="profile"),
    path("me/expenses/", views.ExpenseListCreateView.as_view(), name="expenses"),
    path("expenses/<int:pk>/receipt/", views.ExpenseReceiptView.as_view(), name="expense_receipt"),
    path("staff/expenses/", views.ExpenseReviewView.as_view(), name="expense_review"),
    path("staff/expenses/<int:pk>/decide/", views.ExpenseDecideView.as_view(), name="expense_decide"),
    path("me/data/", views.MyDataView.as_view(), name="my_data"),
    path("me/leave/", views.LeaveView.as_view(), name="leave"),
    path("staff/members/<int:pk>/withdraw/", views.WithdrawMemberView.as_view(), name="withdraw"),
    path("staff/erasure/", views.StaffErasureView.as_view(), name="staff_erasure"),
    path("staff/expenses.csv", views.ExpenseCsvView.as_view(), name="expense_csv"),
]
