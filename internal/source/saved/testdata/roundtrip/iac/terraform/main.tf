provider "aws" {
  region = "us-east-1"
}

resource "aws_pinpoint_app" "shop" {
  name = "Northwind Shop"
  tags = {
    team = "growth"
    env  = "prod"
  }
}

resource "aws_pinpoint_email_template" "receipt" {
  template_name = "receipt"
  email_template {
    subject   = "Your receipt"
    html_part = "<p>Order {{Attributes.orderId}}</p>"
    text_part = "Order {{Attributes.orderId}}"
  }
}
