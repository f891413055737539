export const PRODUCT_NAME = 'Teleclass';
