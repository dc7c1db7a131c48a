from django.urls import path

from . import views

app_name = "registry"

urlpatterns = [
    path("live-rooms/", views.live_room_list, name="live-rooms"),
    path("live-rooms/<int:pk>/", views.live_room_detail, name="live-room"),
    path("marketers/<int:pk>/", views.marketer_detail, name="marketer"),
]
